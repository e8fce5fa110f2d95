package dev.savepoint.trainer.command;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of a trainer's state folders ({@code statePattern}, a glob with one {@code *}) and of the files that
 * belong beside one ({@code besidePattern}, where {@code {stem}} is what the {@code *} matched, or a glob of its own).
 */
public final class StateNames {

    private static final Pattern LAST_NUMBER = Pattern.compile("(\\d+)(?!.*\\d)");

    private final Pattern state;
    private final String beside;

    public StateNames(String statePattern, String besidePattern) {
        if (statePattern == null || statePattern.chars().filter(c -> c == '*').count() != 1) {
            throw new IllegalArgumentException("trainer.statePattern must be a folder-name glob with exactly one "
                    + "'*', got " + (statePattern == null ? "nothing" : "'" + statePattern + "'"));
        }
        int star = statePattern.indexOf('*');
        this.state = Pattern.compile(Pattern.quote(statePattern.substring(0, star)) + "(.+)"
                + Pattern.quote(statePattern.substring(star + 1)));
        this.beside = besidePattern;
    }

    /** The stem of a state folder's name (what the {@code *} matched), or empty when the name is not a state's. */
    public Optional<String> stem(String folderName) {
        Matcher m = state.matcher(folderName);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(m.group(1));
    }

    /** Whether {@code fileName} (in the output folder) belongs beside the state folder {@code folderName}. */
    public boolean isBeside(String folderName, String fileName) {
        if (beside == null) {
            return false;
        }
        Optional<String> stem = stem(folderName);
        if (stem.isEmpty()) {
            return false;
        }
        String expected = beside.replace("{stem}", stem.get());
        if (!expected.contains("*")) {
            return fileName.equals(expected);
        }
        int star = expected.indexOf('*');
        return fileName.length() >= expected.length() - 1 && fileName.startsWith(expected.substring(0, star))
                && fileName.endsWith(expected.substring(star + 1));
    }

    /** The last number in a name ({@code checkpoint-300} -> 300), the counter when no stepFrom file says it. */
    public static Optional<Long> lastNumber(String name) {
        Matcher m = LAST_NUMBER.matcher(name);
        return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }
}
