package dev.savepoint.stack;

import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * The jqwik generators of hostile REST input ({@link RestFuzz}): identifiers at and past their bounds, path traversal
 * plain and percent-encoded, NUL and control characters, unicode and emoji, very long values; JSON bodies with
 * wrong types, nulls, huge numbers, fractions for integers, deep nesting, unknown fields, and bodies over 1 MiB.
 */
public final class HostileValues {

    private HostileValues() {
    }

    /** A path parameter's value and how it goes into the URL: percent-encoded, or as it is (to reach the router). */
    public record PathValue(String value, boolean raw) {

        /** A value each parameter name accepts, so that a request gets past the path to its body and query. */
        static PathValue harmless(String parameter) {
            return new PathValue(switch (parameter) {
                case "id", "checkpointId", "leaseId" -> UUID.randomUUID().toString();
                case "attempt" -> "1";
                case "name" -> "model.bin";
                default -> "fuzz-" + UUID.randomUUID().toString().substring(0, 8);
            }, false);
        }

        String encoded() {
            return raw ? value : percentEncode(value);
        }

        /** Every byte of the UTF-8 form percent-encoded but for the unreserved characters of RFC 3986. */
        static String percentEncode(String value) {
            StringBuilder out = new StringBuilder();
            for (byte b : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                char c = (char) (b & 0xff);
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                    out.append(c);
                } else {
                    out.append('%').append(String.format("%02X", b & 0xff));
                }
            }
            return out.toString();
        }

        @Override
        public String toString() {
            return (raw ? "raw " : "") + dev.savepoint.contracts.Ids.printable(value);
        }
    }

    /** Strings an attacker tries as an identifier or a file name. */
    public static Arbitrary<String> strings() {
        return Arbitraries.oneOf(
                Arbitraries.of("", " ", ".", "..", "...", "../../etc/passwd", "..\\..\\windows", "a/b", "a\\b",
                        "a\0b", "\0", "bell\u0007", "line\nbreak", "tab\t", "\u007f", ".hidden", "-", "_", "0",
                        "-1", "999999999999", "2147483648", "1.5", "1e3", "null", "true", "%", "%2e%2e",
                        "%00", "' or '1'='1", "<script>", "${jndi:x}", "é", "\u00e9\u0301", "\uD83D\uDE00",
                        "\u202Eevil", "\uFEFF", "\uFFFF", "x".repeat(128), "x".repeat(129), "y".repeat(255),
                        "y".repeat(256), "z".repeat(4096), UUID.randomUUID().toString(),
                        UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT),
                        "00000000-0000-0000-0000-000000000000", UUID.randomUUID() + "/..", "model.bin"),
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(40),
                Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(140),
                Arbitraries.integers().between(1, 20_000).map("\u00e9"::repeat));
    }

    /** A path parameter: a hostile string percent-encoded, or one of the raw forms that probe the router. */
    public static Arbitrary<PathValue> pathValues() {
        Arbitrary<PathValue> encoded = strings().map(s -> new PathValue(s, false));
        Arbitrary<PathValue> raw = Arbitraries.of("..", "%2e%2e", "%2E%2E%2F%2E%2E", "a%2Fb", "..%2F..%2Fetc",
                "%00", "%0a", "%c0%ae%c0%ae", "%ff", "%e2%80%ae", "a;b", ".", "%20", "x%25").map(s -> new PathValue(s, true));
        return Arbitraries.frequencyOf(Tuple.of(4, encoded), Tuple.of(1, raw));
    }

    /** A query parameter's value (percent-encoded by the sender). */
    public static Arbitrary<String> queryValues() {
        return Arbitraries.oneOf(strings(), Arbitraries.of("-1", "0", "1", "2147483647", "2147483648",
                "-2147483649", "9223372036854775808", "1.5", "NaN", "", "COMMITTED", "committed", "PENDING"));
    }

    /** A request body: JSON objects with the operation's own fields given wrong values, not JSON, or too large. */
    public static Arbitrary<String> jsonBodies(List<String> fields) {
        Arbitrary<String> names = fields.isEmpty() ? strings()
                : Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(fields)), Tuple.of(1, strings()));
        Arbitrary<String> members = Combinators.combine(names, jsonValues(2))
                .as((name, value) -> quote(name) + ":" + value);
        Arbitrary<String> objects = members.list().ofMaxSize(6).map(m -> "{" + String.join(",", m) + "}");
        Arbitrary<String> notObjects = Arbitraries.of("", " ", "{", "}", "null", "[]", "[{}]", "\"x\"", "1", "true",
                "{} {}", "{\"a\":1}x", "{\"a\":}", "{'a':1}", "\uFEFF{}", "{\"a\":1,\"a\":2}",
                "[".repeat(5000) + "]".repeat(5000), "{\"a\":" + "[".repeat(2000) + "]".repeat(2000) + "}");
        Arbitrary<String> huge = Arbitraries.of(1_100_000, 2_000_000).map(n -> "{" + quote(fields.isEmpty() ? "x"
                : fields.get(0)) + ":\"" + "h".repeat(n) + "\"}");
        return Arbitraries.frequencyOf(Tuple.of(12, objects), Tuple.of(4, notObjects), Tuple.of(1, huge));
    }

    /** A JSON value of any type, nested at most {@code depth} deep. */
    static Arbitrary<String> jsonValues(int depth) {
        Arbitrary<String> scalars = Arbitraries.oneOf(
                Arbitraries.of("null", "true", "false", "0", "-1", "1", "1.5", "-0.0", "1e400", "-1e400", "1e-400",
                        "2147483648", "-2147483649", "9223372036854775808", "123456789012345678901234567890",
                        "0.1", "65537", "1000000001", "\"\"", "\"1\"", "\"2Gi\"", "\"-1Gi\"", "\"adamw\"",
                        "\"mlp\"", "\"command\"", "\"s3://savepoint/x\""),
                strings().map(HostileValues::quote));
        if (depth == 0) {
            return scalars;
        }
        Arbitrary<String> arrays = jsonValues(depth - 1).list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]");
        Arbitrary<String> objects = Combinators.combine(strings(), jsonValues(depth - 1)).as((k, v) -> quote(k) + ":" + v)
                .list().ofMaxSize(3).map(l -> "{" + String.join(",", l) + "}");
        return Arbitraries.frequencyOf(Tuple.of(6, scalars), Tuple.of(1, arrays), Tuple.of(1, objects));
    }

    /** A JSON string literal of any text (control characters and lone surrogates escaped as \\uXXXX). */
    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
