package dev.ssehub.client;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code java -jar ssehub-client.jar [options] URL}: prints a stream's events; see {@link CommandLine#USAGE}.
 * {@code java -jar ssehub-client.jar publish ...} publishes an event; see {@link PublishCommand#USAGE}.
 * {@code java -jar ssehub-client.jar token ...} prints a development token; see {@link TokenCommand#USAGE}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // UTF-8 whatever the locale, so that event data prints the same everywhere.
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs the command line with its output on the given streams; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.getenv("SSEHUB_TOKEN"), System.in, out, err);
    }

    /** As {@link #run(String[], PrintStream, PrintStream)}, with the value of {@code SSEHUB_TOKEN} given. */
    static int run(String[] args, String environmentToken, PrintStream out, PrintStream err) {
        return run(args, environmentToken, InputStream.nullInputStream(), out, err);
    }

    /** As {@link #run(String[], PrintStream, PrintStream)}, with {@code SSEHUB_TOKEN} and standard input given. */
    static int run(String[] args, String environmentToken, InputStream in, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("token")) {
            return TokenCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err).code;
        }
        if (args.length > 0 && args[0].equals("publish")) {
            return PublishCommand.run(Arrays.copyOfRange(args, 1, args.length), environmentToken, in, out, err).code;
        }
        CommandLine commandLine;
        try {
            commandLine = CommandLine.parse(args, environmentToken);
        } catch (CommandLine.UsageException e) {
            err.println(EventPrinter.PREFIX + e.getMessage() + " (see --help)");
            return ExitStatus.USAGE.code;
        }
        if (commandLine.help()) {
            out.print(CommandLine.USAGE);
            out.flush();
            return ExitStatus.OK.code;
        }
        EventPrinter printer = new EventPrinter(commandLine.uri(), commandLine.json(), commandLine.count(), out, err);
        EventSourceClient.Builder builder = EventSourceClient.builder(commandLine.uri()).listener(printer);
        if (commandLine.lastEventId() != null) {
            builder.lastEventId(commandLine.lastEventId());
        }
        if (commandLine.token() != null) {
            builder.header("Authorization", "Bearer " + commandLine.token());
        }
        try (EventSourceClient client = builder.connect()) {
            return printer.await(commandLine.timeout(), commandLine.timeoutText()).code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitStatus.FAILURE.code;
        }
    }
}
