package dev.ssehub.server;

import java.util.function.UnaryOperator;

/**
 * Where each setting is looked up, first found wins: the system property {@code ssehub.x}, the environment variable
 * {@code SSEHUB_X}, the context-param {@code ssehub.x}. Blank values count as absent.
 */
final class SettingSources {

    private final UnaryOperator<String> systemProperties;
    private final UnaryOperator<String> environment;
    private final UnaryOperator<String> contextParams;

    SettingSources(UnaryOperator<String> systemProperties, UnaryOperator<String> environment,
            UnaryOperator<String> contextParams) {
        this.systemProperties = systemProperties;
        this.environment = environment;
        this.contextParams = contextParams;
    }

    String value(String key) {
        String value = present(systemProperties.apply("ssehub." + key));
        value = value != null ? value : present(environment.apply(Settings.environmentName(key)));
        return value != null ? value : present(contextParams.apply("ssehub." + key));
    }

    /** The name the operator wrote the key's value under, e.g. "environment variable SSEHUB_TICK_INTERVAL". */
    String nameOf(String key) {
        if (present(systemProperties.apply("ssehub." + key)) != null) {
            return "system property ssehub." + key;
        }
        if (present(environment.apply(Settings.environmentName(key))) != null) {
            return "environment variable " + Settings.environmentName(key);
        }
        return "context-param ssehub." + key;
    }

    private static String present(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
