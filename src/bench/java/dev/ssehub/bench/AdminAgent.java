package dev.ssehub.bench;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's hook into a container distribution's JVM, loaded with {@code -javaagent:<jar>=<port>,<path>}: it
 * prints {@code READY <port>} once {@code GET <path>} on that port finds the webapp deployed (any answer but 404 or
 * 503), then serves {@link AdminChannel} on standard input; {@code stop} exits the JVM, which runs the container's
 * own shutdown hook, as SIGTERM would.
 */
public final class AdminAgent {

    private AdminAgent() {
    }

    public static void premain(String arguments) {
        String[] portAndPath = arguments.split(",", 2);
        int port = Integer.parseInt(portAndPath[0]);
        String path = portAndPath[1];
        Thread admin = new Thread(() -> {
            try {
                awaitDeployed(port, path);
                System.out.println("READY " + port);
                System.out.flush();
                AdminChannel.serve();
            } catch (IOException | InterruptedException e) {
                e.printStackTrace();
            }
            System.exit(0);
        }, "bench-admin");
        admin.setDaemon(true);
        admin.start();
    }

    private static void awaitDeployed(int port, String path) throws InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + port + path);
        while (true) {
            try {
                HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
                connection.setConnectTimeout(1000);
                connection.setReadTimeout(5000);
                int status = connection.getResponseCode();
                connection.disconnect();
                if (status != 404 && status != 503) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // the connector is not open yet
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }
}
