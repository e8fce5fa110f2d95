package dev.savepoint.contracts.checkpoint;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.savepoint.contracts.Ids;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the files of a command run's checkpoint lie in its trainer's output folder: {@code stateDir} is the state
 * folder the trainer saved (say {@code checkpoint-300} or {@code demo-step00000050-state}), {@code paths} maps each
 * manifest file name to its path relative to the output folder ({@code checkpoint-300/optimizer.pt}, or a weights
 * file beside the folder such as {@code demo-step00000050.safetensors}). A restore writes every file back to its path
 * under a fresh folder and passes that folder's {@code stateDir} to the trainer's resume arguments.
 *
 * <p>{@code counter} is the trainer's own step counter as that state recorded it (its {@code stepFrom}), which may
 * differ from the checkpoint's step: the checkpoint's step is cumulative across resumes.
 */
public record StateLayout(
        @JsonProperty(required = true) String stateDir,
        @JsonProperty(required = true) Map<String, String> paths,
        Long counter) {

    public StateLayout {
        if (!isRelativePath(stateDir) || stateDir.contains("/")) {
            throw new IllegalArgumentException("field 'stateDir' must be a plain folder name, got '"
                    + Ids.printable(stateDir) + "'");
        }
        paths = new TreeMap<>(paths);
        for (var e : paths.entrySet()) {
            if (!Ids.isFileName(e.getKey()) || !isRelativePath(e.getValue())) {
                throw new IllegalArgumentException("field 'paths' must map file names to relative paths without "
                        + "'..', got '" + Ids.printable(e.getKey()) + "' -> '" + Ids.printable(e.getValue()) + "'");
            }
        }
        paths = java.util.Collections.unmodifiableMap(paths);
    }

    /** A relative path whose every segment is a plain file name (no absolute path, no "..", no empty segment). */
    public static boolean isRelativePath(String path) {
        if (path == null || path.isEmpty() || path.length() > 4096 || path.startsWith("/")) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (!Ids.isFileName(segment) || segment.equals(".")) {
                return false;
            }
        }
        return true;
    }
}
