package dev.savepoint.trainer.supervisor;

import dev.savepoint.contracts.events.LaunchAttempt;
import java.nio.file.Path;
import java.time.Instant;

/** One attempt this worker accepted: its command, child process and outcome. Mutated only by the supervisor. */
public final class Attempt {

    private final LaunchAttempt command;
    private final Path logFile;
    private final Instant queuedAt = Instant.now();
    private AttemptState state = AttemptState.QUEUED;
    private Process process;
    private Instant startedAt;
    private Instant endedAt;
    private Integer exitCode;
    private Long step;
    private String message;
    private boolean cancelRequested;
    private String cancelReason;
    private boolean reportedByAttempt;

    Attempt(LaunchAttempt command, Path logFile) {
        this.command = command;
        this.logFile = logFile;
    }

    public String runId() {
        return command.runId();
    }

    public int attempt() {
        return command.attempt();
    }

    LaunchAttempt command() {
        return command;
    }

    public Path logFile() {
        return logFile;
    }

    /**
     * A consistent copy for the API, true to the child process at this moment: RUNNING only while it is alive. A
     * child that exited before the supervisor handled its end (its last log lines are still being copied) shows the
     * outcome its exit code means, with {@code alive} false.
     */
    public synchronized Snapshot snapshot() {
        AttemptState shown = state;
        Integer code = exitCode;
        String why = message;
        if (state == AttemptState.RUNNING && process != null && !process.isAlive()) {
            code = process.exitValue();
            shown = outcomeOf(code, cancelRequested);
            why = "attempt process " + process.pid() + " exited with code " + code + "; trainer-service is still "
                    + "handling its end";
        }
        boolean alive = shown == AttemptState.QUEUED || shown == AttemptState.RUNNING;
        return new Snapshot(runId(), attempt(), shown, alive, process == null ? null : process.pid(), code, queuedAt,
                startedAt, endedAt, step, why, logFile);
    }

    /** What an exit code means for the attempt: 0 succeeded, otherwise cancelled if a stop was asked for, else failed. */
    static AttemptState outcomeOf(int code, boolean cancelRequested) {
        return code == 0 ? AttemptState.SUCCEEDED : cancelRequested ? AttemptState.CANCELLED : AttemptState.FAILED;
    }

    synchronized AttemptState state() {
        return state;
    }

    synchronized Process process() {
        return process;
    }

    synchronized Instant endedAt() {
        return endedAt;
    }

    synchronized Long step() {
        return step;
    }

    synchronized void running(Process child) {
        process = child;
        startedAt = Instant.now();
        state = AttemptState.RUNNING;
    }

    synchronized void ended(AttemptState outcome, Integer code, String why) {
        state = outcome;
        exitCode = code;
        message = why;
        endedAt = Instant.now();
    }

    /** Asks the attempt to stop; returns true the first time (the first reason is kept). */
    synchronized boolean requestCancel(String reason) {
        boolean first = !cancelRequested;
        cancelRequested = true;
        if (first) {
            cancelReason = reason;
        }
        return first;
    }

    synchronized boolean cancelRequested() {
        return cancelRequested;
    }

    /** Why it was asked to stop, null when it was not. */
    synchronized String cancelReason() {
        return cancelReason;
    }

    synchronized void progress(long atStep) {
        step = step == null ? atStep : Math.max(step, atStep);
    }

    synchronized void reportedByAttempt() {
        reportedByAttempt = true;
    }

    synchronized boolean wasReportedByAttempt() {
        return reportedByAttempt;
    }

    /** A consistent copy for the API; {@code alive}: queued, or its child process is alive now. */
    public record Snapshot(String runId, int attempt, AttemptState state, boolean alive, Long pid, Integer exitCode,
            Instant queuedAt, Instant startedAt, Instant endedAt, Long step, String message, Path logFile) {
    }
}
