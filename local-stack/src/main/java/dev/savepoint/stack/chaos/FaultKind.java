package dev.savepoint.stack.chaos;

/** The faults a chaos run injects, with the weight by which the seed draws each and whether it hits the stack. */
public enum FaultKind {
    /** SIGKILL of one running training attempt. */
    ATTEMPT_KILLED(30, false),
    /** SIGKILL of a service process and every process it started, then a start of it. */
    SERVICE_KILLED(14, false),
    /** trainer-service and its attempts frozen (SIGSTOP) longer than a heartbeat lease, then resumed: a zombie. */
    SERVICE_PAUSED(8, false),
    /** The S3 server frozen (SIGSTOP) for a while, then resumed (SIGCONT). */
    S3_FROZEN(12, true),
    /** The S3 server SIGKILLed, then started again on its data. */
    S3_KILLED(12, true),
    /** The Kafka broker SIGKILLed, then started again on its log dir. */
    KAFKA_KILLED(12, true),
    /** PostgreSQL stopped (fast shutdown, clients disconnected), then started. */
    POSTGRES_STOPPED(12, true);

    final int weight;
    /** True for an outage of the stack under the services: at most one of them at a time. */
    final boolean infrastructure;

    FaultKind(int weight, boolean infrastructure) {
        this.weight = weight;
        this.infrastructure = infrastructure;
    }
}
