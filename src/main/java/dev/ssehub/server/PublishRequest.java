package dev.ssehub.server;

import dev.ssehub.hub.Hub;
import dev.ssehub.wire.SseEvent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import jakarta.servlet.http.HttpServletResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a {@code POST /publish} asks for: a topic, the data and an optional SSE event type, read from form fields
 * or from a JSON object. Parsing refuses anything doubtful (invalid UTF-8, unknown or repeated fields, a type that
 * could break the line) so that a refused request publishes nothing.
 */
record PublishRequest(String topic, String type, String data) {

    static final int MAX_TYPE_LENGTH = 128;
    // A published "error" would reach every onerror handler as if the connection had failed.
    private static final Set<String> RESERVED_TYPES = Set.of("open", "error", Hub.MISSED_EVENT);
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Parses a body of the given content type; a {@link Rejection} says why it cannot be published. */
    static PublishRequest parse(String contentType, byte[] body) throws Rejection {
        String mediaType = mediaType(contentType);
        if (contentType != null && !declaresUtf8OrNothing(contentType)) {
            throw new Rejection(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, "the body must be UTF-8");
        }
        Map<String, String> fields = switch (mediaType) {
            case "application/json" -> jsonFields(body);
            case "application/x-www-form-urlencoded" -> formFields(body);
            default -> throw new Rejection(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                    "unsupported content type '" + Responses.printable(mediaType)
                            + "': send application/json or application/x-www-form-urlencoded");
        };
        return validated(fields.get("topic"), fields.get("event"), fields.get("data"));
    }

    private static PublishRequest validated(String topic, String type, String data) throws Rejection {
        // A JSON escape can spell half a surrogate pair: no UTF-8 can carry it, so it would reach readers as '?'.
        requireUnicode("topic", topic);
        requireUnicode("data", data);
        requireUnicode("event", type);
        if (topic == null) {
            throw badRequest("missing field 'topic'");
        }
        if (!Hub.isValidTopic(topic)) {
            throw badRequest("invalid topic name '" + Responses.printable(topic) + "': " + Hub.TOPIC_RULE);
        }
        if (data == null) {
            throw badRequest("missing field 'data'");
        }
        String eventType = type == null || type.isEmpty() ? null : type;
        if (eventType != null && !SseEvent.isSingleLine(eventType)) {
            throw badRequest("field 'event' must not contain CR, LF or NUL");
        }
        if (eventType != null && RESERVED_TYPES.contains(eventType)) {
            throw badRequest("event type '" + eventType + "' is reserved: EventSource fires 'open' and 'error' itself, "
                    + "and ssehub sends 'missed'");
        }
        if (eventType != null && eventType.length() > MAX_TYPE_LENGTH) {
            throw badRequest("field 'event' is longer than " + MAX_TYPE_LENGTH + " characters");
        }
        return new PublishRequest(topic, eventType, data);
    }

    private static void requireUnicode(String field, String value) throws Rejection {
        if (value != null && Responses.hasLoneSurrogate(value)) {
            throw badRequest("field '" + field + "' is not valid Unicode: lone surrogate");
        }
    }

    private static Map<String, String> jsonFields(byte[] body) throws Rejection {
        String text = strictUtf8(body, "body");
        Map<String, String> fields = new HashMap<>();
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw badRequest("the JSON body must be an object with 'topic', 'data' and optionally 'event'");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = knownField(parser.currentName());
                if (parser.nextToken() != JsonToken.VALUE_STRING) {
                    throw badRequest("field '" + name + "' must be a string");
                }
                fields.put(name, parser.getText());
            }
            if (parser.nextToken() != null) {
                throw badRequest("unexpected content after the JSON object");
            }
        } catch (JsonParseException e) {
            throw badRequest("invalid JSON: " + e.getOriginalMessage()); // the token it quotes is escaped in the answer
        } catch (IOException e) {
            throw badRequest("invalid JSON");
        }
        return fields;
    }

    private static Map<String, String> formFields(byte[] body) throws Rejection {
        Map<String, String> fields = new HashMap<>();
        String ascii = new String(body, StandardCharsets.ISO_8859_1);
        for (String pair : ascii.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = knownField(percentDecode(equals < 0 ? pair : pair.substring(0, equals)));
            String value = equals < 0 ? "" : percentDecode(pair.substring(equals + 1));
            if (fields.put(name, value) != null) {
                throw badRequest("field '" + name + "' given more than once");
            }
        }
        return fields;
    }

    private static String knownField(String name) throws Rejection {
        if (!name.equals("topic") && !name.equals("data") && !name.equals("event")) {
            throw badRequest("unknown field '" + Responses.printable(name) + "': expected topic, data and event");
        }
        return name;
    }

    // application/x-www-form-urlencoded: '+' is a space, %XX a byte; the bytes must then be valid UTF-8.
    private static String percentDecode(String text) throws Rejection {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
                int low = high >= 0 ? Character.digit(text.charAt(i + 2), 16) : -1;
                if (low < 0) {
                    throw badRequest("invalid percent-encoding in the form body");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return strictUtf8(bytes.toByteArray(), "form field");
    }

    private static String strictUtf8(byte[] bytes, String what) throws Rejection {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw badRequest("the " + what + " is not valid UTF-8");
        }
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static boolean declaresUtf8OrNothing(String contentType) {
        for (String parameter : contentType.split(";")) {
            String[] nameAndValue = parameter.trim().split("=", 2);
            if (nameAndValue.length == 2 && nameAndValue[0].trim().equalsIgnoreCase("charset")) {
                String charset = nameAndValue[1].trim().replace("\"", "");
                return charset.equalsIgnoreCase("utf-8") || charset.equalsIgnoreCase("utf8");
            }
        }
        return true;
    }

    private static Rejection badRequest(String reason) {
        return new Rejection(HttpServletResponse.SC_BAD_REQUEST, reason);
    }
}
