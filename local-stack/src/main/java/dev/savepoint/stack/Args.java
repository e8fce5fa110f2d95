package dev.savepoint.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A CLI command line: its words, its {@code --option value} pairs and the {@code --json} flag. */
record Args(List<String> wordList, Map<String, String> options, boolean json) {

    /** Bad usage: exit code 2 with the usage text. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    static Args of(List<String> arguments) {
        List<String> words = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        boolean json = false;
        for (int i = 0; i < arguments.size(); i++) {
            String arg = arguments.get(i);
            if (arg.equals("--json")) {
                json = true;
            } else if (arg.startsWith("--")) {
                if (i + 1 >= arguments.size()) {
                    throw new UsageException("option " + arg + " needs a value");
                }
                options.put(arg, arguments.get(++i));
            } else {
                words.add(arg);
            }
        }
        return new Args(words, options, json);
    }

    int words() {
        return wordList.size();
    }

    String word(int i) {
        return i < wordList.size() ? wordList.get(i) : "";
    }

    Args expectWords(int n) {
        if (wordList.size() != n) {
            throw new UsageException("'" + String.join(" ", wordList.subList(0, Math.min(2, wordList.size())))
                    + "' takes " + (n - Math.min(2, n)) + " argument(s), got " + String.join(" ", wordList));
        }
        return this;
    }

    boolean has(String option) {
        return options.containsKey(option);
    }

    String option(String option, String otherwise) {
        return options.getOrDefault(option, otherwise);
    }

    String required(String option) {
        if (!has(option)) {
            throw new UsageException(option + " is required");
        }
        return options.get(option);
    }

    int intOption(String option, int otherwise) {
        try {
            return has(option) ? Integer.parseInt(options.get(option)) : otherwise;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be a whole number, got '" + options.get(option) + "'");
        }
    }
}
