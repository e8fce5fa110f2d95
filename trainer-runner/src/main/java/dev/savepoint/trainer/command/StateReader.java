package dev.savepoint.trainer.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.contracts.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what a state folder says about itself: the trainer's step counter ({@code stepFrom}, {@code file:dotted.field};
 * without one, the last number in the folder's name) and, from the same file, its loss and epoch when it has them.
 * A stepFrom file that is missing or does not parse yet means the folder is not complete.
 */
public final class StateReader {

    /** The counter and the optional extras of one state. */
    public record Facts(long counter, Integer epoch, Map<String, Double> metrics) {
    }

    private final String file;
    private final String[] field;

    public StateReader(String stepFrom) {
        if (stepFrom == null) {
            this.file = null;
            this.field = null;
            return;
        }
        int colon = stepFrom.indexOf(':');
        if (colon <= 0 || colon == stepFrom.length() - 1) {
            throw new IllegalArgumentException("trainer.stepFrom must look like 'file.json:field.path', got '"
                    + stepFrom + "'");
        }
        this.file = stepFrom.substring(0, colon);
        this.field = stepFrom.substring(colon + 1).split("\\.");
    }

    /** The stepFrom file's path inside a state folder, or null when the counter comes from the folder's name. */
    public String file() {
        return file;
    }

    /** What the folder says, or empty while its stepFrom file is missing or unreadable. */
    public Optional<Facts> read(Path folder) {
        if (file == null) {
            return StateNames.lastNumber(folder.getFileName().toString()).map(n -> new Facts(n, null, Map.of()));
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(Files.readAllBytes(folder.resolve(file)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        JsonNode n = root;
        for (String part : field) {
            n = n == null ? null : n.get(part);
        }
        if (n == null || !n.canConvertToLong() || !n.isIntegralNumber()) {
            return Optional.empty();
        }
        Integer epoch = firstInt(root, "current_epoch", "epoch");
        JsonNode loss = root.get("loss");
        Map<String, Double> metrics = loss != null && loss.isNumber() ? Map.of("loss", loss.asDouble()) : Map.of();
        return Optional.of(new Facts(n.asLong(), epoch, metrics));
    }

    private static Integer firstInt(JsonNode root, String... names) {
        for (String name : names) {
            JsonNode v = root.get(name);
            if (v != null && v.isNumber()) {
                return v.asInt();
            }
        }
        return null;
    }
}
