package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checkpoints of a run that storage holds a manifest for, named by their folders ({@code {step}-{attempt}/}),
 * for a resume while checkpoint-service is unreachable. Storage does not know which ones were committed, so only the
 * newest attempt's count: an older attempt's checkpoint may be a stale (REJECTED) attempt's.
 */
final class StoredCheckpoints {

    /** One folder with a manifest. */
    record Folder(String manifestKey, long step, int attempt, String checkpointId) {
    }

    private static final Pattern FOLDER = Pattern.compile("/checkpoints/(\\d+)-(\\d+)/"
            + Pattern.quote(CheckpointManifest.FILE_NAME) + "$");

    private final List<Folder> folders;

    private StoredCheckpoints(List<Folder> folders) {
        this.folders = folders;
    }

    static StoredCheckpoints of(CheckpointStorage storage, String runId) throws IOException {
        List<Folder> folders = storage.list("runs/" + runId + "/checkpoints/", "/" + CheckpointManifest.FILE_NAME)
                .stream().map(key -> folder(runId, key)).flatMap(Optional::stream).toList();
        return new StoredCheckpoints(folders);
    }

    private static Optional<Folder> folder(String runId, String key) {
        Matcher m = FOLDER.matcher(key);
        if (!m.find()) {
            return Optional.empty();
        }
        long step = Long.parseLong(m.group(1));
        int attempt = Integer.parseInt(m.group(2));
        return Optional.of(new Folder(key, step, attempt, CheckpointManifest.checkpointId(runId, step, attempt)));
    }

    /** The highest attempt number with a checkpoint in storage, or 0. */
    int newestAttempt() {
        return folders.stream().mapToInt(Folder::attempt).max().orElse(0);
    }

    /** The newest attempt's checkpoints, newest step first: the candidates for {@code latest}. */
    List<Folder> newestAttemptsNewestFirst() {
        int newest = newestAttempt();
        return folders.stream().filter(f -> f.attempt() == newest)
                .sorted(Comparator.comparingLong(Folder::step).reversed()).toList();
    }

    Optional<Folder> byId(String checkpointId) {
        return folders.stream().filter(f -> f.checkpointId().equals(checkpointId)).findFirst();
    }
}
