package dev.savepoint.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.stack.TestStack;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import dev.savepoint.stack.StackSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * What the end-to-end tests of command runs read and check: the catalog's committed checkpoints of a run, their
 * manifests and files in S3, and the trainer process an attempt started (to kill it, not its supervisor).
 */
final class CommandRuns {

    private final Cluster cluster;
    private final MinioClient s3;

    CommandRuns(Cluster cluster) {
        this.cluster = cluster;
        Map<String, String> c = TestStack.shared().serviceConfig();
        this.s3 = MinioClient.builder().endpoint(c.get("savepoint.s3.endpoint"))
                .credentials(c.get("savepoint.s3.access-key"), c.get("savepoint.s3.secret-key")).build();
    }

    /**
     * The run's committed checkpoints in the order they were committed, once the catalog has caught up with the run:
     * its newest checkpoint is at the step the run ended at (commits arrive through Kafka after the attempt's end).
     */
    List<JsonNode> committed(String runId) {
        long end = cluster.client.run(runId).path("step").asLong();
        Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() ->
                cluster.client.latestCheckpoint(runId).map(c -> c.path("step").asLong() >= end).orElse(false));
        return committedNow(runId);
    }

    private List<JsonNode> committedNow(String runId) {
        String url = cluster.services.service("checkpoint-service").url() + "/api/runs/" + runId
                + "/checkpoints?state=COMMITTED&size=500";
        List<JsonNode> all = new ArrayList<>();
        cluster.client.get(url).path("items").forEach(all::add); // with the stack's token
        all.sort(Comparator.comparing((JsonNode c) -> Instant.parse(c.path("committedAt").asText()))
                .thenComparingLong(c -> c.path("step").asLong()));
        return all;
    }

    /** The manifest of a cataloged checkpoint, as its attempt wrote it to S3. */
    CheckpointManifest manifest(JsonNode checkpoint) {
        return Json.read(file(checkpoint, CheckpointManifest.FILE_NAME), CheckpointManifest.class);
    }

    /** One file of a cataloged checkpoint, from S3. */
    byte[] file(JsonNode checkpoint, String name) {
        try (InputStream in = s3.getObject(GetObjectArgs.builder().bucket(checkpoint.path("bucket").asText())
                .object(checkpoint.path("prefix").asText() + name).build())) {
            return in.readAllBytes();
        } catch (Exception e) {
            throw new AssertionError("cannot read " + name + " of checkpoint " + checkpoint.path("id").asText()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every relaunch resumed from the newest complete state: from a committed checkpoint at least as new as every
     * checkpoint the catalog had committed when the scheduler launched it (a commit that lands between the launch and
     * the attempt's own lease-newest may make it newer, never older).
     */
    void assertEveryResumeFromNewestCommitted(String runId, List<JsonNode> committed, RunStory story) {
        JsonNode attempts = cluster.client.attempts(runId);
        for (int i = 1; i < attempts.size(); i++) {
            JsonNode a = attempts.get(i);
            Instant launched = Instant.parse(a.path("launchedAt").asText());
            long newest = committed.stream().filter(c -> !Instant.parse(c.path("committedAt").asText())
                    .isAfter(launched)).mapToLong(c -> c.path("step").asLong()).max().orElse(0);
            String resumedId = a.path("resumedFromCheckpointId").textValue();
            assertNotNull(resumedId, "attempt " + a.path("attempt") + " started fresh: " + story);
            Optional<JsonNode> resumed = committed.stream().filter(c -> c.path("id").asText().equals(resumedId))
                    .findFirst();
            assertTrue(resumed.isPresent(), "attempt " + a.path("attempt") + " resumed from " + resumedId
                    + ", which is not a committed checkpoint: " + story);
            assertTrue(resumed.get().path("step").asLong() >= newest, "attempt " + a.path("attempt")
                    + " resumed from step " + resumed.get().path("step") + " but step " + newest
                    + " was committed before its launch: " + story);
            System.out.printf("  attempt %s launched %s: newest committed then step %d, resumed from step %d (%s)%n",
                    a.path("attempt"), launched, newest, resumed.get().path("step").asLong(), resumedId);
        }
    }

    /** The catalog's steps are cumulative: strictly increasing in commit order, the last one the run's goal. */
    static void assertCumulativeSteps(List<JsonNode> committed, int maxSteps) {
        List<Long> steps = committed.stream().map(c -> c.path("step").asLong()).toList();
        assertTrue(!steps.isEmpty(), "no committed checkpoint");
        for (int i = 1; i < steps.size(); i++) {
            assertTrue(steps.get(i) > steps.get(i - 1), "steps in commit order are not strictly increasing: "
                    + steps);
        }
        assertEquals(maxSteps, steps.get(steps.size() - 1), "the newest checkpoint is not at maxSteps: " + steps);
    }

    /** The trainer process an attempt process started (a descendant whose command line holds {@code script}). */
    static ProcessHandle trainer(long attemptPid, String script) {
        return Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> ProcessHandle.of(attemptPid).flatMap(p -> p.descendants().filter(d -> d.info()
                        .arguments().map(args -> List.of(args).contains(script)).orElse(false)).findFirst()),
                        Optional::isPresent).orElseThrow();
    }

    /** The output folder Savepoint gave a trainer ({@code {outputDir}}, passed as --output_dir). */
    static Path outputDir(ProcessHandle trainer) {
        return Path.of(argument(trainer, "--output_dir").orElseThrow(() -> new AssertionError(
                "the trainer has no --output_dir: " + trainer.info())));
    }

    /** The value after {@code flag} in a process's command line. */
    static Optional<String> argument(ProcessHandle p, String flag) {
        List<String> args = p.info().arguments().map(List::of).orElse(List.of());
        int i = args.indexOf(flag);
        return i >= 0 && i + 1 < args.size() ? Optional.of(args.get(i + 1)) : Optional.empty();
    }

    /** Waits until attempt {@code attempt} has started and returns the step it resumed from (0 when fresh). */
    long awaitResumedStart(String runId, int attempt) {
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode a = cluster.client.attempts(runId);
            return a.size() >= attempt && a.get(attempt - 1).hasNonNull("startedAt");
        });
        return cluster.client.attempts(runId).get(attempt - 1).path("resumedFromStep").asLong(0);
    }

    /** A fresh output folder under e2e-tests/target for a run of a trainer outside Savepoint. */
    static Path twinOutput(String prefix) throws IOException {
        Path twins = StackSettings.repositoryRoot().resolve("e2e-tests/target/e2e-twins");
        Files.createDirectories(twins);
        return Files.createTempDirectory(twins, prefix);
    }

    /** Runs a trainer to its end outside Savepoint and returns the final-params-sha256 it printed. */
    static String finalHashOfDirectRun(List<String> argv) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the uninterrupted run did not end: " + argv);
        assertEquals(0, p.exitValue(), output);
        String hash = output.lines().filter(l -> l.startsWith("final-params-sha256=")).map(l -> l.substring(20))
                .findFirst().orElseThrow(() -> new AssertionError("no final-params-sha256 line in: " + output));
        System.out.printf("uninterrupted run outside Savepoint in %.1f s: %s (%s)%n", (System.nanoTime() - t0) / 1e9,
                hash, String.join(" ", argv));
        return hash;
    }

    /**
     * The last step a trainer logged, from the trainer.log of the work folder around its output folder: after a kill,
     * how far it had trained (at least; the log is written line by line as the trainer prints).
     */
    static long lastLoggedStep(Path output, Pattern progress) throws IOException {
        long last = 0;
        Path log = output.getParent().resolve("trainer.log");
        if (!Files.exists(log)) {
            return 0;
        }
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher m = progress.matcher(line);
            if (m.find()) {
                last = Long.parseLong(m.group(1));
            }
        }
        return last;
    }

    /**
     * A kill of attempt {@code attempt} while its trainer was at (cumulative) step {@code trainerStep}, after the
     * catalog had committed its newest save, at step {@code committed}.
     */
    record Kill(int attempt, long trainerStep, long committed) {
    }

    /**
     * Prints, per kill, the steps trained again: how far the trainer had got minus the step the next attempt resumed
     * from. (The scheduler's heartbeats of a command run carry the newest saved state's step, so {@link RunStory}
     * cannot see the steps trained since; the trainer's own log can.)
     */
    static void printRecomputed(String test, List<Kill> kills, JsonNode attempts) {
        for (Kill k : kills) {
            long resumed = attempts.get(k.attempt()).path("resumedFromStep").asLong(0);
            System.out.printf("%s: kill of attempt %d at trainer step %d; attempt %d resumed from step %d: %d steps "
                    + "recomputed%n", test, k.attempt(), k.trainerStep(), k.attempt() + 1, resumed,
                    k.trainerStep() - resumed);
        }
    }

    /**
     * Waits until the trainer's log shows its step {@code step} or later, then freezes it with SIGSTOP and returns
     * the step it logged last: the kill point stays where the seed put it while the test waits for the catalog,
     * however fast or slow the machine is. SIGKILL ends a stopped process as any other.
     */
    static long freezeAtLoggedStep(ProcessHandle trainer, Path output, Pattern progress, long step) {
        try {
            // Started before the wait, so that the stop is not delayed by forking a process from this JVM.
            Process stopper = new ProcessBuilder("sh", "-c", "read go && kill -STOP " + trainer.pid())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            try {
                Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(5))
                        .until(() -> lastLoggedStep(output, progress) >= step);
                stopper.getOutputStream().write('\n');
                stopper.getOutputStream().flush();
                assertEquals(0, stopper.waitFor(), "kill -STOP " + trainer.pid());
            } finally {
                stopper.destroy();
            }
            return lastLoggedStep(output, progress);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Kills attempt {@code attempt}'s trainer between two saves at a point the test chose: freezes it once its log
     * shows step {@code freezeAt} (its own counter), waits until the catalog committed the newest save before the
     * step it froze at ({@code newestSave} maps its counter to that save's cumulative step), then SIGKILLs the
     * trainer alone or, with {@code wholeAttempt}, the attempt process with it (a lost node). Returns that save's
     * cumulative step and the trainer's.
     */
    Kill killFrozen(String runId, int attempt, String script, Pattern progress, long freezeAt,
            LongUnaryOperator newestSave, LongUnaryOperator cumulative, boolean wholeAttempt) {
        long pid = cluster.awaitAttemptPast(runId, attempt, 0);
        ProcessHandle trainer = trainer(pid, script);
        long at = freezeAtLoggedStep(trainer, outputDir(trainer), progress, freezeAt);
        long save = newestSave.applyAsLong(at);
        try {
            cluster.awaitCommittedCheckpoint(runId, save);
        } finally {
            if (wholeAttempt) {
                killTree(pid);
            } else {
                trainer.destroyForcibly();
            }
            trainer.onExit().join();
        }
        return new Kill(attempt, cumulative.applyAsLong(at), save);
    }

    /** The attempt after each kill resumed from the newest save the killed trainer had made, which was committed. */
    static void assertResumedFromTheKillsSaves(List<Kill> kills, JsonNode attempts, RunStory story) {
        for (Kill k : kills) {
            assertEquals(k.committed(), attempts.get(k.attempt()).path("resumedFromStep").asLong(), "attempt "
                    + (k.attempt() + 1) + " did not resume from the newest complete state of attempt " + k.attempt()
                    + ": " + story);
        }
    }

    /** SIGKILLs an attempt process and everything it started, as a lost node would. */
    static void killTree(long pid) {
        ProcessHandle.of(pid).ifPresent(p -> {
            List<ProcessHandle> children = p.descendants().toList();
            p.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
        });
    }
}
