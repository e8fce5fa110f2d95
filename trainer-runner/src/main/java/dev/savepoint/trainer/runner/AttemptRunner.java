package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.determinism.DeterminismFingerprint;
import dev.savepoint.contracts.determinism.DeterminismMode;
import dev.savepoint.contracts.events.AttemptExit;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.CheckpointCorrupt;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.trainer.engine.DataSources;
import dev.savepoint.trainer.engine.Fingerprints;
import dev.savepoint.trainer.engine.TrainingData;
import dev.savepoint.trainer.engine.TrainingSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One attempt of one run: validate, load data, resume from a verified checkpoint, train with heartbeats and
 * background checkpoints, and end with exactly one terminal event and an {@link AttemptExit} code.
 */
public final class AttemptRunner {

    private final AttemptArgs args;
    private final RunnerConfig config;
    private final EventSink events;
    private final CheckpointStorage storage;
    private final PrintStream out;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile int exitCode = AttemptExit.CRASHED.code();
    private long step = 0;

    public AttemptRunner(AttemptArgs args, RunnerConfig config, EventSink events, CheckpointStorage storage,
            PrintStream out) {
        this.args = args;
        this.config = config;
        this.events = events;
        this.storage = storage;
        this.out = out;
    }

    /** Runs the attempt to its end and returns its exit code. */
    public int run() {
        try {
            exitCode = runChecked().code();
        } catch (Throwable e) { // an OOM or engine error still ends in a failure event the scheduler can act on
            exitCode = fail(FailureReason.CRASHED, e.getClass().getSimpleName() + ": " + e.getMessage(), null).code();
        } finally {
            events.flush();
            done.countDown();
        }
        return exitCode;
    }

    /** SIGTERM: finish the current step, write a final checkpoint and end as PREEMPTED. */
    public void requestStop() {
        stopRequested = true;
    }

    /** Waits for {@link #run} to end; returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return exitCode;
    }

    private AttemptExit runChecked() throws IOException, InterruptedException {
        RunSpec spec;
        try {
            spec = Json.spec(Files.readAllBytes(args.spec()));
        } catch (IOException | IllegalArgumentException e) {
            return fail(FailureReason.INVALID_SPEC, "spec " + args.spec() + ": " + e.getMessage(), null);
        }
        TrainingData data;
        try {
            data = loadData(spec);
        } catch (IOException | IllegalArgumentException e) {
            return fail(FailureReason.DATA_ERROR, "data " + spec.data().path() + ": " + e.getMessage(), null);
        }
        Optional<CheckpointLoader.Loaded> resume;
        try {
            resume = resumePoint();
        } catch (CheckpointCorruptException e) {
            events.send(Topics.CHECKPOINTS, CheckpointCorrupt.of(args.runId(), args.attempt(), e.checkpointId(),
                    e.fileName(), e.getMessage()));
            return fail(FailureReason.CHECKPOINT_CORRUPT, e.getMessage(), e.checkpointId());
        }
        DeterminismFingerprint fingerprint = Fingerprints.current(spec.runtime().intraOpThreads());
        List<String> differences = resume.map(r -> DeterminismFingerprint.differences(r.state().fingerprint(),
                fingerprint)).orElse(List.of());
        if (!differences.isEmpty() && refuseInexactResume(spec, resume.get().manifest().checkpointId(), differences)) {
            return fail(FailureReason.NOT_REPRODUCIBLE, inexact(resume.get().manifest().checkpointId(), differences)
                    + " (the run spec says determinism: strict; resume on a machine with the same fingerprint, or "
                    + "submit with determinism: best-effort)", resume.get().manifest().checkpointId());
        }
        try (TrainingSession session = new TrainingSession(spec, data)) {
            resume.ifPresent(r -> session.restore(r.snapshot()));
            var from = resume.map(CheckpointLoader.Loaded::manifest);
            events.send(Topics.RUNS, AttemptStarted.of(args.runId(), args.attempt(), spec,
                    from.map(m -> m.checkpointId()).orElse(null), from.map(m -> m.step()).orElse(null), hostName(),
                    ProcessHandle.current().pid()).withDeterminism(fingerprint,
                            resume.isPresent() ? differences.isEmpty() : null, differences)
                    .withSupervisor(config.supervisorUrl()));
            TrainingLoop loop = new TrainingLoop(args, spec, session, events, storage, config, () -> stopRequested,
                    resume.map(AttemptRunner::durable).orElse(null));
            AttemptExit exit;
            try {
                exit = loop.run();
            } catch (CheckpointWriteException e) {
                step = session.globalStep();
                return fail(stopRequested ? FailureReason.PREEMPTED : FailureReason.CRASHED, (stopRequested
                        ? "stopped by SIGTERM at step " + step + ", but " : "") + e.getMessage(), null);
            }
            step = session.globalStep();
            if (exit == AttemptExit.PREEMPTED) {
                return fail(FailureReason.PREEMPTED, "stopped by SIGTERM at step " + step
                        + " after a final checkpoint", null);
            }
            out.println("final-params-sha256=" + loop.finalHash());
            return exit;
        }
    }

    /** Strict runs refuse a resume that cannot be bit-exact; best-effort ones warn and go on. */
    private static boolean refuseInexactResume(RunSpec spec, String checkpointId, List<String> differences) {
        if (spec.determinism().equals(DeterminismMode.STRICT)) {
            return true;
        }
        System.err.println("savepoint: warning: " + inexact(checkpointId, differences)
                + " (determinism: best-effort, resuming anyway)");
        return false;
    }

    private static String inexact(String checkpointId, List<String> differences) {
        return "resume from " + checkpointId + " cannot be bit-exact: " + String.join("; ", differences);
    }

    /** The checkpoint resumed from is the newest durable one until the attempt writes its own. */
    private static CheckpointWriter.Durable durable(CheckpointLoader.Loaded loaded) {
        var createdAt = loaded.state().createdAt() != null ? loaded.state().createdAt() : loaded.manifest().createdAt();
        return new CheckpointWriter.Durable(loaded.manifest().step(), createdAt.toEpochMilli());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private Optional<CheckpointLoader.Loaded> resumePoint()
            throws IOException, CheckpointCorruptException, InterruptedException {
        if (args.resumeFrom() == null) {
            return Optional.empty();
        }
        var catalog = new CatalogClient(config.checkpointServiceUrl(), config.retry(), System.err);
        var loaded = new CheckpointLoader(storage, catalog, events, args, System.err).resume(args.resumeFrom());
        if (loaded.isEmpty()) {
            out.println("no checkpoint of run " + args.runId() + " yet: starting from step 0");
            return Optional.empty();
        }
        var manifest = loaded.get().manifest();
        out.println("resuming from checkpoint " + manifest.checkpointId() + " at step " + manifest.step());
        return loaded;
    }

    private TrainingData loadData(RunSpec spec) throws IOException {
        if (!spec.data().type().equals("csv")) {
            return DataSources.fromSpec(spec.data(), spec.model(), null);
        }
        String path = spec.data().path();
        try (InputStream in = path.startsWith("s3://") ? openS3(path) : Files.newInputStream(Path.of(path))) {
            return DataSources.fromSpec(spec.data(), spec.model(), in);
        }
    }

    private InputStream openS3(String uri) throws IOException {
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new IllegalArgumentException("data.path must look like s3://bucket/key, got '" + uri + "'");
        }
        return storage.open(rest.substring(0, slash), rest.substring(slash + 1));
    }

    private AttemptExit fail(FailureReason reason, String message, String checkpointId) {
        System.err.println("savepoint: attempt " + args.attempt() + " of run " + args.runId() + " failed ("
                + reason + "): " + message);
        events.send(Topics.RUNS, AttemptFailed.of(args.runId(), args.attempt(), reason, message, null, null, step,
                "attempt", checkpointId));
        return switch (reason) {
            case INVALID_SPEC -> AttemptExit.INVALID_SPEC;
            case DATA_ERROR -> AttemptExit.DATA_ERROR;
            case CHECKPOINT_CORRUPT -> AttemptExit.CHECKPOINT_CORRUPT;
            case PREEMPTED -> AttemptExit.PREEMPTED;
            case NOT_REPRODUCIBLE -> AttemptExit.NOT_REPRODUCIBLE;
            default -> AttemptExit.CRASHED;
        };
    }
}
