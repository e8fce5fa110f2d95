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

    public synchronized Snapshot snapshot() {
        return new Snapshot(runId(), attempt(), state, process == null ? null : process.pid(), exitCode, queuedAt,
                startedAt, endedAt, step, message, logFile);
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

    synchronized boolean requestCancel() {
        boolean first = !cancelRequested;
        cancelRequested = true;
        return first;
    }

    synchronized boolean cancelRequested() {
        return cancelRequested;
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

    /** A consistent copy for the API. */
    public record Snapshot(String runId, int attempt, AttemptState state, Long pid, Integer exitCode,
            Instant queuedAt, Instant startedAt, Instant endedAt, Long step, String message, Path logFile) {
    }
}
