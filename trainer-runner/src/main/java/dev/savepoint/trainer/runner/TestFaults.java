package dev.savepoint.trainer.runner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Fault injection for tests, off unless its variables are set: a pause after each step, a pause before each
 * checkpoint upload, holds that stop training at given steps until the test creates {@code release-STEP} in
 * {@code holdDir}, and a hold of the writer before the manifest once {@code holdManifestsAfter} checkpoints are
 * complete (a half-written checkpoint that stays half-written), so that a test acts at a point it chose rather than
 * at a moment it guessed.
 */
public record TestFaults(long uploadPauseMillis, Set<Long> holdAtSteps, Path holdDir, int holdManifestsAfter,
        long stepPauseMillis) {

    static TestFaults none() {
        return new TestFaults(0, Set.of(), null, -1, 0);
    }

    static TestFaults from(Map<String, String> env) {
        String steps = env.getOrDefault("SAVEPOINT_TEST_HOLD_AT_STEPS", "");
        String dir = env.get("SAVEPOINT_TEST_HOLD_DIR");
        return new TestFaults(RetryPolicy.millis(env, "SAVEPOINT_TEST_UPLOAD_PAUSE_MS", 0),
                Arrays.stream(steps.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Long::valueOf)
                        .collect(Collectors.toUnmodifiableSet()),
                dir == null || dir.isBlank() ? null : Path.of(dir),
                Integer.parseInt(env.getOrDefault("SAVEPOINT_TEST_HOLD_MANIFEST_AFTER", "-1")),
                RetryPolicy.millis(env, "SAVEPOINT_TEST_STEP_PAUSE_MS", 0));
    }

    Map<String, String> toEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("SAVEPOINT_TEST_UPLOAD_PAUSE_MS", Long.toString(uploadPauseMillis));
        env.put("SAVEPOINT_TEST_HOLD_AT_STEPS", holdAtSteps.stream().map(String::valueOf)
                .collect(Collectors.joining(",")));
        if (holdDir != null) {
            env.put("SAVEPOINT_TEST_HOLD_DIR", holdDir.toString());
        }
        env.put("SAVEPOINT_TEST_HOLD_MANIFEST_AFTER", Integer.toString(holdManifestsAfter));
        env.put("SAVEPOINT_TEST_STEP_PAUSE_MS", Long.toString(stepPauseMillis));
        return env;
    }

    /** The file whose creation releases a hold at {@code step}. */
    static Path releaseFile(Path holdDir, long step) {
        return holdDir.resolve("release-" + step);
    }

    /** Blocks the training thread at a hold step until the test releases it; heartbeats and the writer go on. */
    void holdIfAt(long step) throws InterruptedException {
        if (holdDir == null || !holdAtSteps.contains(step)) {
            return;
        }
        Path release = releaseFile(holdDir, step);
        System.err.println("savepoint: test hold at step " + step + " until " + release + " exists");
        while (!Files.exists(release)) {
            Thread.sleep(20);
        }
    }

    /** Blocks the writer before a manifest once {@code complete} checkpoints are written, until released. */
    void holdBeforeManifest(int complete) throws InterruptedException {
        if (holdDir == null || holdManifestsAfter < 0 || complete < holdManifestsAfter) {
            return;
        }
        Path release = holdDir.resolve("release-manifest");
        System.err.println("savepoint: test hold before a manifest until " + release + " exists");
        while (!Files.exists(release)) {
            Thread.sleep(20);
        }
    }

    /**
     * A pause after every step, so that a toy model's step takes about as long as a real one's on any machine: the
     * end-to-end tests' outages then fall in the middle of a run however fast the machine trains. Never changes bits.
     */
    void pauseAfterStep() throws InterruptedException {
        if (stepPauseMillis > 0) {
            Thread.sleep(stepPauseMillis);
        }
    }

    /** A pause before an upload, widening the window in which a checkpoint is half-uploaded. */
    void pauseBeforeUpload() throws InterruptedException {
        if (uploadPauseMillis > 0) {
            Thread.sleep(uploadPauseMillis);
        }
    }
}
