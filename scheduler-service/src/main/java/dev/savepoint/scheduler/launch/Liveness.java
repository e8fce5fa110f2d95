package dev.savepoint.scheduler.launch;

import java.util.Objects;

/**
 * What the launcher that started an attempt says about it when the scheduler stopped hearing from it: still alive
 * (queued, running, a pod pending or running), gone (ended, or known nowhere), or unknown (the launcher could not be
 * asked), with a detail text for the failure message and the log.
 */
public record Liveness(State state, String detail) {

    /** The launcher's answer. */
    public enum State {
        /** The attempt's process or pod is alive: only its heartbeats stopped reaching the scheduler. */
        ALIVE,
        /** The attempt has ended, or no worker knows it. */
        GONE,
        /** The launcher could not be asked (unreachable, API error). */
        UNKNOWN
    }

    public Liveness {
        Objects.requireNonNull(state, "state");
        detail = detail == null ? "" : detail;
    }

    public static Liveness alive(String detail) {
        return new Liveness(State.ALIVE, detail);
    }

    public static Liveness gone(String detail) {
        return new Liveness(State.GONE, detail);
    }

    public static Liveness unknown(String detail) {
        return new Liveness(State.UNKNOWN, detail);
    }
}
