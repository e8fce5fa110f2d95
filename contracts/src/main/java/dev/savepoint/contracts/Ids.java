package dev.savepoint.contracts;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one pattern of every identifier and file name that crosses a boundary (REST paths, specs, manifests), so a
 * NUL byte, a path traversal or a 10 KB id is refused by name before it reaches PostgreSQL, S3 or a file system.
 *
 * <ul>
 *   <li>run id: {@value #RUN_ID_REGEX}: letters, digits, '-', '_', '.', not starting with '.', at most 128
 *       characters (the scheduler builds {@code <name>-<8 hex digits>});</li>
 *   <li>run name (a spec's {@code name}): {@value #RUN_NAME_REGEX}: the same alphabet, starting with a letter or
 *       digit, at most 63 characters (it becomes part of Kubernetes object names);</li>
 *   <li>checkpoint id and lease id: a UUID as the system builds them, {@value #UUID_REGEX};</li>
 *   <li>attempt: {@value #ATTEMPT_REGEX} (1 to 9 digits);</li>
 *   <li>file name inside a checkpoint: 1 to 255 characters without '/', '\', NUL or "..".</li>
 * </ul>
 */
public final class Ids {

    public static final String RUN_ID_REGEX = "[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}";
    public static final String RUN_NAME_REGEX = "[A-Za-z0-9][A-Za-z0-9._-]{0,62}";
    public static final String UUID_REGEX = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
    public static final String ATTEMPT_REGEX = "[0-9]{1,9}";
    public static final int MAX_FILE_NAME = 255;

    private static final Pattern RUN_ID = Pattern.compile(RUN_ID_REGEX);
    private static final Pattern RUN_NAME = Pattern.compile(RUN_NAME_REGEX);
    private static final Pattern UUID = Pattern.compile(UUID_REGEX);
    private static final Pattern ATTEMPT = Pattern.compile(ATTEMPT_REGEX);

    /** What each REST path parameter name of the three services must look like. */
    private static final Map<String, Pattern> PATH_PARAMETERS = Map.of(
            "runId", RUN_ID, "run", RUN_ID, "id", UUID, "checkpointId", UUID, "leaseId", UUID, "attempt", ATTEMPT);

    private Ids() {
    }

    public static boolean isRunId(String value) {
        return value != null && RUN_ID.matcher(value).matches();
    }

    public static boolean isRunName(String value) {
        return value != null && RUN_NAME.matcher(value).matches();
    }

    public static boolean isCheckpointId(String value) {
        return value != null && UUID.matcher(value).matches();
    }

    /** A plain file name: 1 to 255 characters, no '/', '\', NUL, no "..", not blank. */
    public static boolean isFileName(String value) {
        return value != null && !value.isBlank() && value.length() <= MAX_FILE_NAME && value.indexOf('/') < 0
                && value.indexOf('\\') < 0 && value.indexOf('\0') < 0 && !value.contains("..");
    }

    /**
     * Checks one REST path parameter by its name ({@code runId}, {@code id}, {@code leaseId}, {@code attempt},
     * {@code name} for a file name; any other name: at most 128 characters without control characters).
     *
     * @return the problem, naming the parameter, or empty when the value is fine
     */
    public static Optional<String> pathParameterProblem(String name, String value) {
        boolean ok;
        String allowed;
        Pattern pattern = PATH_PARAMETERS.get(name);
        if (pattern != null) {
            ok = value != null && pattern.matcher(value).matches();
            allowed = pattern == RUN_ID ? "1-128 letters, digits, '.', '_' or '-', not starting with '.'"
                    : pattern == ATTEMPT ? "an attempt number (1-9 digits)" : "a UUID";
        } else if (name.equals("name")) {
            ok = isFileName(value);
            allowed = "a plain file name (1-255 characters, no '/', '\\', NUL or '..')";
        } else {
            ok = value != null && value.length() <= 128 && value.chars().noneMatch(Character::isISOControl);
            allowed = "at most 128 characters without control characters";
        }
        return ok ? Optional.empty() : Optional.of("path parameter '" + name + "' must be " + allowed + ", got '"
                + printable(value) + "'");
    }

    /** The first problem among a request's path parameters (name to values, e.g. JAX-RS's), or empty. */
    public static Optional<String> pathParametersProblem(Map<String, ? extends List<String>> parameters) {
        return parameters.entrySet().stream()
                .flatMap(p -> p.getValue().stream().map(v -> pathParameterProblem(p.getKey(), v)))
                .flatMap(Optional::stream).findFirst();
    }

    /**
     * {@link #pathParametersProblem(Map)} of the parameters {@code decoded} returns; a path whose percent-encoding
     * cannot be decoded (a lone {@code %} at the end of a segment, say) is a problem naming the route's parameters
     * ({@code names}), not an exception.
     */
    public static Optional<String> pathParametersProblem(
            java.util.function.Supplier<? extends Map<String, ? extends List<String>>> decoded,
            java.util.Collection<String> names) {
        try {
            return pathParametersProblem(decoded.get());
        } catch (IllegalArgumentException e) {
            return Optional.of("path parameter " + String.join(" or ", names) + " is not validly percent-encoded ("
                    + printable(e.getMessage()) + ")");
        }
    }

    /** The names of the parameters of a JAX-RS path template such as {@code /api/runs/{runId}/attempts}. */
    public static List<String> templateParameters(String... templates) {
        List<String> names = new java.util.ArrayList<>();
        for (String template : templates) {
            if (template != null) {
                java.util.regex.Matcher m = TEMPLATE_PARAMETER.matcher(template);
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    private static final java.util.regex.Pattern TEMPLATE_PARAMETER =
            java.util.regex.Pattern.compile("\\{\\s*([A-Za-z_][A-Za-z0-9_.-]*)");

    /** A value safe to echo in a message: control characters escaped, cut to 64 characters. */
    public static String printable(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        value.codePoints().limit(64).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return value.codePointCount(0, value.length()) > 64 ? out + "..." : out.toString();
    }
}
