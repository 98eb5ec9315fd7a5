package dev.ssehub.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parsed arguments of {@code java -jar ssehub-client.jar}.
 *
 * @param count   events to print before exiting 0; 0 for no limit
 * @param timeout how long to run at most; null for no limit
 * @param timeoutText the timeout as written, for messages
 * @param token   sent as {@code Authorization: Bearer}, for private topics; null for none
 */
record CommandLine(boolean help, URI uri, String lastEventId, boolean json, long count, Duration timeout,
        String timeoutText, String token) {

    static final String USAGE = """
            Usage: java -jar ssehub-client.jar [options] URL
                   java -jar ssehub-client.jar publish --topic NAME [--data TEXT] [--event TYPE] [URL]
                   java -jar ssehub-client.jar token --secret-file FILE [--subscribe P] [--publish P] [--ttl TIME]
            Prints each event of a Server-Sent Events stream as "Received event: <data>", reconnecting with
            Last-Event-ID when the connection drops, after the server's retry: time.

            Options:
              --topic NAME         subscribe to a topic; repeatable; sent as ?topic=NAME
              --last-event-id ID   start after this event (sent as Last-Event-ID)
              --json               print each event as one JSON object a line: {"id":..,"event":..,"data":..}
              --count N            exit 0 after N events
              --timeout TIME       give up after TIME in all, such as 500ms, 10s, 2m (a bare number is seconds)
              --token TOKEN        a signed token for private topics, sent as Authorization: Bearer
                                   (default: the environment variable SSEHUB_TOKEN)
              --help               print this help

            The publish command publishes one event and prints its id (see publish --help).
            The token command prints a development token signed with HS256 (see token --help).

            Exit codes:
              0  done: --count events printed, or the server said stop (HTTP 204)
              1  unexpected failure
              2  bad usage
              3  cannot connect: refused, unknown host, unreachable (only before the first connection;
                 after one, the client keeps reconnecting)
              4  the server answered an HTTP error (4xx, 5xx) or another status than 200
              5  the answer is not text/event-stream
              6  --timeout ran out first
            """;

    private static final Set<String> TAKES_VALUE = Set.of("--topic", "--last-event-id", "--count", "--timeout",
            "--token");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

    /** Why the arguments cannot be used; its message is one line for stderr. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    static CommandLine parse(String... args) throws UsageException {
        return parse(args, null);
    }

    /** The arguments, with {@code SSEHUB_TOKEN} (or null) as the token unless {@code --token} is given. */
    static CommandLine parse(String[] args, String environmentToken) throws UsageException {
        Deque<String> queue = queue(args, TAKES_VALUE);
        String url = null;
        List<String> topics = new ArrayList<>();
        String lastEventId = null;
        boolean json = false;
        long count = 0;
        Duration timeout = null;
        String timeoutText = null;
        String token = environmentToken == null || environmentToken.isBlank() ? null : environmentToken.trim();
        while (!queue.isEmpty()) {
            String arg = queue.poll();
            switch (arg) {
                case "--help", "-h" -> {
                    return new CommandLine(true, null, null, false, 0, null, null, null);
                }
                case "--json" -> json = true;
                case "--topic" -> topics.add(value(queue, arg));
                case "--last-event-id" -> lastEventId = value(queue, arg);
                case "--count" -> count = count(value(queue, arg));
                case "--timeout" -> {
                    timeoutText = value(queue, arg);
                    timeout = duration(timeoutText, arg);
                }
                case "--token" -> token = value(queue, arg);
                default -> {
                    if (arg.startsWith("-")) {
                        throw new UsageException("unknown option " + arg);
                    }
                    if (url != null) {
                        throw new UsageException("one URL only, got " + url + " and " + arg);
                    }
                    url = arg;
                }
            }
        }
        if (url == null) {
            throw new UsageException("no URL given");
        }
        if (lastEventId != null && !isSingleLine(lastEventId)) {
            throw new UsageException("--last-event-id must not contain CR, LF or NUL");
        }
        if (token != null && !isSingleLine(token)) {
            throw new UsageException("--token must not contain CR, LF or NUL");
        }
        return new CommandLine(false, withTopics(url, topics), lastEventId, json, count, timeout, timeoutText, token);
    }

    /** The arguments in order, with {@code --topic=news} split into {@code --topic news} for options that take one. */
    static Deque<String> queue(String[] args, Set<String> takesValue) {
        Deque<String> queue = new ArrayDeque<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (equals > 0 && takesValue.contains(arg.substring(0, equals))) {
                queue.add(arg.substring(0, equals));
                queue.add(arg.substring(equals + 1));
            } else {
                queue.add(arg);
            }
        }
        return queue;
    }

    static String value(Deque<String> queue, String option) throws UsageException {
        if (queue.isEmpty()) {
            throw new UsageException(option + " needs a value");
        }
        return queue.poll();
    }

    private static long count(String text) throws UsageException {
        try {
            long count = Long.parseLong(text);
            if (count > 0) {
                return count;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--count must be a positive whole number, not '" + text + "'");
    }

    /** {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}; a bare number is seconds. */
    static Duration duration(String text, String option) throws UsageException {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            Duration duration = switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofSeconds(amount);
            };
            if (!duration.isZero()) {
                return duration;
            }
        }
        throw new UsageException(option + " must be a positive time such as 500ms, 10s or 2m, not '" + text + "'");
    }

    /** {@code url} as an http or https URI with a host. */
    static URI httpUri(String url) throws UsageException {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new UsageException("not a URL: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new UsageException("not an http or https URL: " + url);
        }
        return uri;
    }

    private static URI withTopics(String url, List<String> topics) throws UsageException {
        URI uri = httpUri(url);
        if (topics.isEmpty()) {
            return uri;
        }
        StringBuilder query = new StringBuilder(uri.getRawQuery() == null ? "" : uri.getRawQuery());
        for (String topic : topics) {
            query.append(query.length() == 0 ? "" : "&").append("topic=")
                    .append(URLEncoder.encode(topic, StandardCharsets.UTF_8));
        }
        String base = url;
        int cut = indexOfQueryOrFragment(url);
        if (cut >= 0) {
            base = url.substring(0, cut);
        }
        String fragment = uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment();
        return URI.create(base + "?" + query + fragment);
    }

    private static int indexOfQueryOrFragment(String url) {
        int query = url.indexOf('?');
        int fragment = url.indexOf('#');
        if (query < 0) {
            return fragment;
        }
        return fragment < 0 ? query : Math.min(query, fragment);
    }

    private static boolean isSingleLine(String value) {
        return value.indexOf('\r') < 0 && value.indexOf('\n') < 0 && value.indexOf('\0') < 0;
    }
}
