package dev.savepoint.trainer.command;

import dev.savepoint.contracts.spec.Substitutions;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptExit;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.CheckpointCorrupt;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.contracts.spec.TrainerSpec;
import dev.savepoint.trainer.runner.AttemptArgs;
import dev.savepoint.trainer.runner.AttemptEnd;
import dev.savepoint.trainer.runner.CatalogClient;
import dev.savepoint.trainer.runner.CheckpointCorruptException;
import dev.savepoint.trainer.runner.CheckpointFiles;
import dev.savepoint.trainer.runner.CheckpointLoader;
import dev.savepoint.trainer.runner.CheckpointStorage;
import dev.savepoint.trainer.runner.EventSink;
import dev.savepoint.trainer.runner.Heartbeater;
import dev.savepoint.trainer.runner.RunnerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One attempt of a command run: restore the newest committed state into the work folder, run the user's training
 * command with its resume arguments, upload each state it completes as a checkpoint at its cumulative step, send
 * heartbeats, and end with one terminal event: SUCCEEDED once a checkpoint reaches maxSteps (the trainer is stopped
 * then) or the trainer exits 0; PREEMPTED on SIGTERM; else the trainer's end classified by {@link ExitClassifier}.
 * {@code restore} and {@code watch} run the two halves apart (Kubernetes: an init container and a native sidecar).
 */
public final class CommandAttempt {

    static final Duration POLL = Duration.ofMillis(200);
    /** setsid's own words when the program does not exist: no relaunch would find it either. */
    static final String MISSING_PROGRAM = "setsid: failed to execute .*: No such file or directory";

    private final AttemptArgs args;
    private final RunnerConfig config;
    private final EventSink events;
    private final CheckpointStorage storage;
    private final PrintStream out;
    private final RunSpec spec;
    private final TrainerSpec trainer;
    private final WorkFolder work;
    private final Duration grace;
    private volatile boolean stopRequested;

    public CommandAttempt(AttemptArgs args, RunnerConfig config, EventSink events, CheckpointStorage storage,
            PrintStream out, RunSpec spec) {
        this.args = args;
        this.config = config;
        this.events = events;
        this.storage = storage;
        this.out = out;
        this.spec = spec;
        this.trainer = spec.trainer().resolved();
        this.work = new WorkFolder(args.workDir());
        this.grace = Duration.ofMillis(config.trainerGraceMillis());
    }

    /** SIGTERM of the attempt: the trainer gets SIGTERM, its complete states are uploaded, the attempt is PREEMPTED. */
    public void requestStop() {
        stopRequested = true;
    }

    /** Runs the attempt (or its {@code restore} or {@code watch} half) and returns the process's exit code. */
    public AttemptExit run() throws IOException, InterruptedException {
        if (trainer.command() == null || trainer.command().isEmpty() || trainer.statePattern() == null) {
            return fail(FailureReason.INVALID_SPEC, "trainer.command and trainer.statePattern are required for a "
                    + "command run (preset " + trainer.preset() + ")", null, 0);
        }
        if (args.mode() == AttemptArgs.Mode.WATCH) {
            // The trainer container's exit code is the attempt's result; the sidecar reported it and exits 0.
            supervise(new LogWatch(work, patterns()), readResumed());
            return AttemptExit.SUCCEEDED;
        }
        Optional<ResumedState> resumed;
        try {
            resumed = restore();
        } catch (StateRestore.NotAStateException e) {
            return fail(FailureReason.INVALID_SPEC, e.getMessage(), null, 0);
        } catch (CheckpointCorruptException e) {
            events.send(Topics.CHECKPOINTS, CheckpointCorrupt.of(args.runId(), args.attempt(), e.checkpointId(),
                    e.fileName(), e.getMessage()));
            return fail(FailureReason.CHECKPOINT_CORRUPT, e.getMessage(), e.checkpointId(), 0);
        }
        if (args.mode() == AttemptArgs.Mode.RESTORE) {
            return AttemptExit.SUCCEEDED;
        }
        if (stopRequested) {
            return fail(FailureReason.PREEMPTED, "stopped by SIGTERM before the trainer started", null,
                    resumed.map(ResumedState::step).orElse(0L));
        }
        List<String> argv = new ArrayList<>(Substitutions.apply(trainer.command(), values(null)));
        argv.addAll(Files.readAllLines(work.resumeArgs()));
        out.println("savepoint: running " + String.join(" ", argv) + " in " + workdirOrCwd());
        OutputScan scan = new OutputScan(patterns());
        TrainerProcess process;
        try {
            process = TrainerProcess.start(argv, trainer.workdir() == null ? null : Path.of(trainer.workdir()),
                    trainer.env(), work, out, scan);
        } catch (IOException e) {
            return fail(FailureReason.CRASHED, "cannot start the training command: " + e.getMessage(), null, 0);
        }
        return supervise(new LocalTrainer(process, scan, work, grace), resumed);
    }

    /** Restores the resume point into the work folder and writes resume-args and resumed.json. */
    private Optional<ResumedState> restore() throws IOException, InterruptedException, CheckpointCorruptException {
        work.prepare();
        Optional<ResumedState> resumed = Optional.empty();
        List<String> resumeArgs = List.of();
        if (args.resumeFrom() != null) {
            var catalog = new CatalogClient(config.checkpointServiceUrl(), config.retry(), System.err);
            var loaded = new CheckpointLoader<>(storage, catalog, events, args, System.err,
                    StateRestore.into(storage, work.resume())).resume(args.resumeFrom());
            if (loaded.isPresent()) {
                var m = loaded.get().manifest();
                resumed = Optional.of(new ResumedState(m.checkpointId(), m.step(), m.layout().counter()));
                Files.write(work.resumedJson(), Json.write(resumed.get()));
                resumeArgs = Substitutions.apply(trainer.resumeArgs() == null ? List.of() : trainer.resumeArgs(),
                        values(loaded.get().restored()));
                out.println("savepoint: restored checkpoint " + m.checkpointId() + " (run step " + m.step()
                        + ", trainer step " + m.layout().counter() + ") into " + loaded.get().restored());
            } else {
                out.println("no checkpoint of run " + args.runId() + " yet: starting the command fresh");
            }
        }
        Files.write(work.resumeArgs(), resumeArgs);
        return resumed;
    }

    private Optional<ResumedState> readResumed() throws IOException {
        return Files.exists(work.resumedJson())
                ? Optional.of(Json.read(Files.readAllBytes(work.resumedJson()), ResumedState.class))
                : Optional.empty();
    }

    private Map<String, String> values(Path stateDir) {
        var values = new HashMap<>(Map.of("outputDir", work.output().toString(),
                "maxSteps", Integer.toString(spec.maxSteps()), "runId", args.runId(),
                "attempt", Integer.toString(args.attempt())));
        if (stateDir != null) {
            values.put("stateDir", stateDir.toString());
        }
        return values;
    }

    private List<String> patterns() {
        List<String> patterns = new ArrayList<>(trainer.permanentPatterns());
        patterns.add(MISSING_PROGRAM);
        return patterns;
    }

    private String workdirOrCwd() {
        return trainer.workdir() != null ? trainer.workdir() : Path.of("").toAbsolutePath().toString();
    }

    /** Watches, uploads and heartbeats until the trainer ends, then ends the attempt. */
    private AttemptExit supervise(Trainer running, Optional<ResumedState> resumed) throws InterruptedException {
        var counter = new StepCounter(resumed.map(ResumedState::step).orElse(0L),
                resumed.map(ResumedState::counter).orElse(null), trainer.counter());
        var watcher = new StateWatcher(work.output(), new StateNames(trainer.statePattern(), trainer.besidePattern()),
                new StateReader(trainer.stepFrom()), trainer.marker(), trainer.settleSeconds() * 1000L,
                System::nanoTime, running.openFiles());
        var shipper = new StateShipper(watcher, counter, new StateUpload(args.runId(), args.attempt(), storage,
                events, work.output(), work.spool()), resumed, spec.maxSteps(), System.err);
        events.send(Topics.RUNS, AttemptStarted.of(args.runId(), args.attempt(), spec,
                resumed.map(ResumedState::checkpointId).orElse(null), resumed.map(ResumedState::step).orElse(null),
                AttemptEnd.hostName(), ProcessHandle.current().pid()).withSupervisor(config.supervisorUrl()));
        boolean goal = false;
        Optional<String> hashAtGoal = Optional.empty();
        boolean preempted = false;
        long giveUpAt = Long.MAX_VALUE;
        try (var heartbeat = new Heartbeater(args.runId(), args.attempt(), events, shipper::progress,
                spec.runtime().heartbeatMillis(), System.err)) {
            while (!running.ended() && System.nanoTime() < giveUpAt) {
                shipper.poll();
                heartbeat.progress(shipper.state());
                if (!goal && !preempted && shipper.reachedGoal()) {
                    goal = true;
                    // a hash the trainer printed by now is of the weights at the goal; one it prints later is not
                    hashAtGoal = running.scan().finalHash();
                    out.println("savepoint: checkpoint at step " + shipper.step() + " reached maxSteps "
                            + spec.maxSteps() + ": stopping the trainer");
                    running.terminate();
                } else if (!goal && !preempted && stopRequested) {
                    preempted = true;
                    running.terminate();
                    // a trainer that outlives its grace is killed (locally); the attempt ends soon after regardless
                    giveUpAt = System.nanoTime() + grace.plusSeconds(10).toNanos();
                }
                running.tick();
                running.await(POLL);
            }
            boolean ended = running.ended();
            shipper.afterExit(ended && running.exitCode() == 0, ended ? running.endedAtNanos() : System.nanoTime());
            heartbeat.progress(shipper.state());
        }
        return end(running, shipper, goal, hashAtGoal, preempted);
    }

    /**
     * The attempt's end. Its final hash: stopped at maxSteps, the hash the trainer had printed by then, else the goal
     * checkpoint's weights; ended by itself, the hash it printed (unless it saved states past the goal: then the goal
     * checkpoint's weights), else the newest checkpoint's weights.
     */
    private AttemptExit end(Trainer running, StateShipper shipper, boolean goal, Optional<String> hashAtGoal,
            boolean preempted) {
        int code = running.exitCode();
        long step = shipper.step();
        if (preempted && step < spec.maxSteps()) {
            return fail(FailureReason.PREEMPTED, "stopped by SIGTERM at step " + step + " (the trainer exited with "
                    + code + "; its complete states are uploaded)", null, step);
        }
        if (goal || code == 0 || step >= spec.maxSteps()) {
            // a trainer that saved states past the goal before it ended printed the hash of weights past the goal
            Optional<String> printed = goal ? hashAtGoal
                    : shipper.trainedPastGoal() ? Optional.empty() : running.scan().finalHash();
            String hash = printed.or(shipper::newestWeightsHash)
                    .orElseGet(() -> {
                System.err.println("savepoint: warning: no final weights to hash (no state was uploaded and the "
                        + "trainer printed no final-params-sha256= line)");
                return HexFormat.of().formatHex(CheckpointFiles.sha256().digest());
            });
            events.send(Topics.RUNS, AttemptSucceeded.of(args.runId(), args.attempt(), step, hash, shipper.loss(),
                    shipper.written(), 0));
            out.println("final-params-sha256=" + hash);
            return AttemptExit.SUCCEEDED;
        }
        var verdict = ExitClassifier.classify(code, running.scan().permanent(), trainer.permanentExitCodes());
        AttemptExit exit = AttemptEnd.fail(events, args, step, verdict.reason(), verdict.message(), null, code,
                verdict.signal());
        return verdict.reason() == FailureReason.KILLED ? AttemptExit.CRASHED : exit;
    }

    private AttemptExit fail(FailureReason reason, String message, String checkpointId, long step) {
        return AttemptEnd.fail(events, args, step, reason, message, checkpointId);
    }
}
