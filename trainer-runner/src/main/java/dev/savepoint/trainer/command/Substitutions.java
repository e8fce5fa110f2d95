package dev.savepoint.trainer.command;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the placeholders of a command's argv ({@code {outputDir}}, {@code {maxSteps}}, {@code {runId}},
 * {@code {attempt}}, and {@code {stateDir}} in resume arguments). A placeholder it does not know stays as written, so
 * that braces a trainer needs itself (a Python format string, a JSON argument) pass through unchanged.
 */
public final class Substitutions {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");

    private Substitutions() {
    }

    public static List<String> apply(List<String> argv, Map<String, String> values) {
        return argv.stream().map(a -> apply(a, values)).toList();
    }

    public static String apply(String arg, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(arg);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }
}
