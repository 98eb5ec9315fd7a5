package dev.ssehub.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.Set;

/** {@code java -jar ssehub-client.jar publish --topic chat --data hello [URL]}: publishes one event, prints its id. */
final class PublishCommand {

    static final String USAGE = """
            Usage: java -jar ssehub-client.jar publish --topic NAME [options] [URL]
            Publishes one event and prints the id the hub gave it. URL is the publish URL
            (default: http://localhost:8080/publish).

            Options:
              --topic NAME            the topic (required)
              --data TEXT             the event's data (default: standard input, less one final newline)
              --event TYPE            the SSE event type, which browsers dispatch by name (default: message)
              --idempotency-key KEY   names this event: a retry with the same key publishes nothing
                                      and prints the first id
              --token TOKEN           the publish token, or a signed token with a publish grant
                                      (default: the environment variable SSEHUB_TOKEN)
              --help                  print this help

            Exit codes:
              0  published: the id is on standard output
              1  unexpected failure, such as a connection that broke before the answer
              2  bad usage
              3  cannot connect: refused, unknown host, unreachable
              4  the server refused: its status and one-line reason (401, 403, 413, ...)
            """;

    static final URI DEFAULT_URI = URI.create("http://localhost:8080/publish");
    private static final Set<String> TAKES_VALUE = Set.of("--topic", "--data", "--event", "--idempotency-key",
            "--token");

    /** The parsed arguments; {@code data} is null when it comes from standard input. */
    record Arguments(boolean help, URI uri, String topic, String data, String type, String idempotencyKey,
            String token) {
    }

    private PublishCommand() {
    }

    static ExitStatus run(String[] args, String environmentToken, InputStream in, PrintStream out, PrintStream err) {
        Arguments arguments;
        String data;
        try {
            arguments = parse(args, environmentToken);
            if (arguments.help()) {
                out.print(USAGE);
                return ExitStatus.OK;
            }
            data = arguments.data() != null ? arguments.data() : standardInput(in);
        } catch (CommandLine.UsageException e) {
            err.println(EventPrinter.PREFIX + "publish: " + e.getMessage() + " (see publish --help)");
            return ExitStatus.USAGE;
        }
        Publication publication = new Publication(arguments.topic(), data, arguments.type(),
                arguments.idempotencyKey());
        try (Publisher publisher = Publisher.builder(arguments.uri()).token(arguments.token()).build()) {
            out.println(publisher.publish(publication));
            return ExitStatus.OK;
        } catch (HttpStatusException status) {
            String comeBack = status.retryAfter()
                    .map(wait -> "; the server asks to come back in " + HumanDuration.of(wait)).orElse("");
            err.println(EventPrinter.PREFIX + arguments.uri() + " answered " + status.getMessage() + comeBack);
            return ExitStatus.HTTP_ERROR;
        } catch (IOException e) {
            if (PlainReason.beforeConnecting(e)) {
                err.println(EventPrinter.PREFIX + "cannot connect to " + arguments.uri() + ": " + PlainReason.of(e));
                return ExitStatus.CANNOT_CONNECT;
            }
            err.println(EventPrinter.PREFIX + "publishing to " + arguments.uri() + " failed: " + PlainReason.of(e));
            return ExitStatus.FAILURE;
        }
    }

    static Arguments parse(String[] args, String environmentToken) throws CommandLine.UsageException {
        Deque<String> queue = CommandLine.queue(args, TAKES_VALUE);
        String url = null;
        String topic = null;
        String data = null;
        String type = null;
        String key = null;
        String token = environmentToken == null || environmentToken.isBlank() ? null : environmentToken.trim();
        while (!queue.isEmpty()) {
            String arg = queue.poll();
            switch (arg) {
                case "--help", "-h" -> {
                    return new Arguments(true, null, null, null, null, null, null);
                }
                case "--topic" -> topic = CommandLine.value(queue, arg);
                case "--data" -> data = CommandLine.value(queue, arg);
                case "--event" -> type = CommandLine.value(queue, arg);
                case "--idempotency-key" -> key = singleLine(CommandLine.value(queue, arg), arg);
                case "--token" -> token = singleLine(CommandLine.value(queue, arg), arg);
                default -> {
                    if (arg.startsWith("-")) {
                        throw new CommandLine.UsageException("unknown option " + arg);
                    }
                    if (url != null) {
                        throw new CommandLine.UsageException("one URL only, got " + url + " and " + arg);
                    }
                    url = arg;
                }
            }
        }
        if (topic == null) {
            throw new CommandLine.UsageException("--topic is required");
        }
        return new Arguments(false, url == null ? DEFAULT_URI : CommandLine.httpUri(url), topic, data, type, key,
                token);
    }

    private static String singleLine(String value, String option) throws CommandLine.UsageException {
        if (!Publication.isSingleLine(value)) {
            throw new CommandLine.UsageException(option + " must not contain CR, LF or NUL");
        }
        return value;
    }

    // All of it, as UTF-8, less one final newline: `echo hello | ... publish` publishes "hello".
    private static String standardInput(InputStream in) throws CommandLine.UsageException {
        try {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (text.endsWith("\r\n")) {
                return text.substring(0, text.length() - 2);
            }
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
            throw new CommandLine.UsageException("cannot read the data from standard input: " + e.getMessage());
        }
    }
}
