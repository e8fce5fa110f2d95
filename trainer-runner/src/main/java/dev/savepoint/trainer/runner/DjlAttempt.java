package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.determinism.DeterminismFingerprint;
import dev.savepoint.contracts.determinism.DeterminismMode;
import dev.savepoint.contracts.events.AttemptExit;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.CheckpointCorrupt;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.trainer.engine.DataSources;
import dev.savepoint.trainer.engine.Fingerprints;
import dev.savepoint.trainer.engine.TextData;
import dev.savepoint.trainer.engine.TrainingData;
import dev.savepoint.trainer.engine.TrainingSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * An attempt of the built-in DJL trainer: load data, resume from a verified checkpoint, train with heartbeats and
 * background checkpoints. Kept apart from {@link AttemptRunner} so that a command run never loads DJL's classes.
 */
final class DjlAttempt {

    private final AttemptArgs args;
    private final RunnerConfig config;
    private final EventSink events;
    private final CheckpointStorage storage;
    private final PrintStream out;
    private final BooleanSupplier stopRequested;
    private long step = 0;

    DjlAttempt(AttemptArgs args, RunnerConfig config, EventSink events, CheckpointStorage storage, PrintStream out,
            BooleanSupplier stopRequested) {
        this.args = args;
        this.config = config;
        this.events = events;
        this.storage = storage;
        this.out = out;
        this.stopRequested = stopRequested;
    }

    /** The step reached so far, for a failure event. */
    long step() {
        return step;
    }

    AttemptExit run(RunSpec spec) throws IOException, InterruptedException {
        TrainingData data;
        try {
            data = loadData(spec);
        } catch (IOException | IllegalArgumentException e) {
            return fail(FailureReason.DATA_ERROR, "data " + spec.data().path() + ": " + e.getMessage(), null);
        }
        Optional<CheckpointLoader.Loaded<RestoredSnapshot>> resume;
        try {
            resume = resumePoint();
        } catch (CheckpointCorruptException e) {
            events.send(Topics.CHECKPOINTS, CheckpointCorrupt.of(args.runId(), args.attempt(), e.checkpointId(),
                    e.fileName(), e.getMessage()));
            return fail(FailureReason.CHECKPOINT_CORRUPT, e.getMessage(), e.checkpointId());
        }
        DeterminismFingerprint fingerprint = Fingerprints.current(spec.runtime().intraOpThreads());
        List<String> differences = resume.map(r -> DeterminismFingerprint.differences(
                r.restored().state().fingerprint(), fingerprint)).orElse(List.of());
        if (!differences.isEmpty() && refuseInexactResume(spec, resume.get().manifest().checkpointId(), differences)) {
            String id = resume.get().manifest().checkpointId();
            return fail(FailureReason.NOT_REPRODUCIBLE, inexact(id, differences) + " (the run spec says "
                    + "determinism: strict; resume on a machine with the same fingerprint, or submit with determinism: best-effort)", id);
        }
        try (TrainingSession session = new TrainingSession(spec, data)) {
            resume.ifPresent(r -> session.restore(r.restored().snapshot()));
            var from = resume.map(CheckpointLoader.Loaded::manifest);
            events.send(Topics.RUNS, AttemptStarted.of(args.runId(), args.attempt(), spec,
                    from.map(m -> m.checkpointId()).orElse(null), from.map(m -> m.step()).orElse(null),
                    AttemptEnd.hostName(), ProcessHandle.current().pid()).withDeterminism(fingerprint,
                            resume.isPresent() ? differences.isEmpty() : null, differences)
                    .withSupervisor(config.supervisorUrl()));
            TrainingLoop loop = new TrainingLoop(args, spec, session, events, storage, config, stopRequested,
                    resume.map(DjlAttempt::durable).orElse(null));
            AttemptExit exit;
            try {
                exit = loop.run();
            } catch (CheckpointWriteException e) {
                step = session.globalStep();
                boolean stopped = stopRequested.getAsBoolean();
                return fail(stopped ? FailureReason.PREEMPTED : FailureReason.CRASHED, (stopped
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
    private static CheckpointWriter.Durable durable(CheckpointLoader.Loaded<RestoredSnapshot> loaded) {
        var stateCreated = loaded.restored().state().createdAt();
        var createdAt = stateCreated != null ? stateCreated : loaded.manifest().createdAt();
        return new CheckpointWriter.Durable(loaded.manifest().step(), createdAt.toEpochMilli());
    }

    private Optional<CheckpointLoader.Loaded<RestoredSnapshot>> resumePoint()
            throws IOException, CheckpointCorruptException, InterruptedException {
        if (args.resumeFrom() == null) {
            return Optional.empty();
        }
        var catalog = new CatalogClient(config.checkpointServiceUrl(), config.retry(), System.err);
        var loaded = new CheckpointLoader<>(storage, catalog, events, args, System.err,
                RestoredSnapshot.from(storage)).resume(args.resumeFrom());
        if (loaded.isEmpty()) {
            out.println("no checkpoint of run " + args.runId() + " yet: starting from step 0");
            return Optional.empty();
        }
        var manifest = loaded.get().manifest();
        out.println("resuming from checkpoint " + manifest.checkpointId() + " at step " + manifest.step());
        return loaded;
    }

    private TrainingData loadData(RunSpec spec) throws IOException {
        if (spec.data().type().equals("synthetic")) {
            return DataSources.fromSpec(spec.data(), spec.model(), null);
        }
        String path = spec.data().path();
        try (InputStream in = path.startsWith("s3://") ? openS3(path) : TextData.open(Path.of(path))) {
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
        return AttemptEnd.fail(events, args, step, reason, message, checkpointId);
    }
}
