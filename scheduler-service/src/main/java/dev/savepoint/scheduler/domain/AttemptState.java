package dev.savepoint.scheduler.domain;

/** An attempt's state as the scheduler records it. */
public enum AttemptState {
    LAUNCHING, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean live() {
        return this == LAUNCHING || this == RUNNING;
    }
}
