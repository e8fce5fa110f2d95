package dev.savepoint.contracts;

/** Kafka topic names; every topic has a {@code .dlq} twin where consumers park events they cannot process. */
public final class Topics {

    /** Run lifecycle: attempt started, heartbeat, failed, succeeded. Key: run id. */
    public static final String RUNS = "savepoint.runs";
    /** Checkpoint lifecycle: written, committed, rejected, deleted, corrupt. Key: run id. */
    public static final String CHECKPOINTS = "savepoint.checkpoints";
    /** Commands to trainer-service workers: launch or cancel an attempt. Key: run id. */
    public static final String COMMANDS = "savepoint.commands";
    /** Header on a dead-lettered record that says why it could not be processed (see {@link DeadLetters}). */
    public static final String DLQ_REASON_HEADER = DeadLetters.REASON_HEADER;

    private Topics() {
    }

    public static String dlq(String topic) {
        return topic + ".dlq";
    }

    public static String[] all() {
        return new String[] {RUNS, CHECKPOINTS, COMMANDS, dlq(RUNS), dlq(CHECKPOINTS), dlq(COMMANDS)};
    }
}
