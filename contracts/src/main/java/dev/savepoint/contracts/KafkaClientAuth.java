package dev.savepoint.contracts;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kafka client properties that authenticate a client as one user of the broker (SASL/SCRAM-SHA-256 over
 * SASL_PLAINTEXT, the local stack's): the one place every Savepoint client, test client and attempt gets them from.
 * Without a user it returns nothing, so a client of a cluster that does not use SASL is configured as before. The
 * password only ever goes into {@code sasl.jaas.config}, which Kafka prints as {@code [hidden]}; never log the map.
 */
public final class KafkaClientAuth {

    /** The environment variable naming the Kafka user of an attempt (or any process configured from it). */
    public static final String USER_ENV = "SAVEPOINT_KAFKA_USER";
    /** The environment variable holding that user's password. */
    public static final String PASSWORD_ENV = "SAVEPOINT_KAFKA_PASSWORD";
    public static final String SECURITY_PROTOCOL = "security.protocol";
    public static final String SASL_MECHANISM = "sasl.mechanism";
    public static final String SASL_JAAS_CONFIG = "sasl.jaas.config";
    public static final String SCRAM = "SCRAM-SHA-256";
    public static final String PLAIN = "PLAIN";

    private KafkaClientAuth() {
    }

    /** The properties of a client that authenticates as {@code user} with SCRAM-SHA-256; empty without a user. */
    public static Map<String, String> scram(String user, String password) {
        return properties(SCRAM, "org.apache.kafka.common.security.scram.ScramLoginModule", user, password);
    }

    /**
     * The same with SASL/PLAIN: only for the local broker's own {@code admin}, whose static entry exists before any
     * SCRAM credential does (creating those is the first thing it does).
     */
    public static Map<String, String> plain(String user, String password) {
        return properties(PLAIN, "org.apache.kafka.common.security.plain.PlainLoginModule", user, password);
    }

    /** {@link #scram} of the user and password in {@link #USER_ENV} and {@link #PASSWORD_ENV}; empty when unset. */
    public static Map<String, String> fromEnvironment(Map<String, String> env) {
        return scram(env.get(USER_ENV), env.get(PASSWORD_ENV));
    }

    /** The properties as Quarkus configuration of every Kafka channel and client of a service ({@code kafka.*}). */
    public static Map<String, String> quarkusProperties(Map<String, String> clientProperties) {
        Map<String, String> quarkus = new LinkedHashMap<>();
        clientProperties.forEach((k, v) -> quarkus.put("kafka." + k, v));
        return Collections.unmodifiableMap(quarkus);
    }

    private static Map<String, String> properties(String mechanism, String loginModule, String user,
            String password) {
        if (user == null || user.isBlank()) {
            return Map.of();
        }
        if (password == null || password.isBlank()) {
            throw new IllegalArgumentException("the Kafka user '" + user + "' has no password: set "
                    + PASSWORD_ENV + " (or the client's sasl.jaas.config) as well");
        }
        Map<String, String> p = new LinkedHashMap<>();
        p.put(SECURITY_PROTOCOL, "SASL_PLAINTEXT");
        p.put(SASL_MECHANISM, mechanism);
        p.put(SASL_JAAS_CONFIG, loginModule + " required username=\"" + quoted(user.trim()) + "\" password=\""
                + quoted(password) + "\";");
        return Collections.unmodifiableMap(p);
    }

    /** A JAAS option value inside double quotes: backslash and quote escaped. */
    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
