package dev.savepoint.stack;

import java.util.List;

/** One part of the local stack (Kafka, PostgreSQL, S3): started, probed and stopped the same way by {@link LocalStack}. */
public interface StackPart {

    String name();

    /** Where clients reach it, e.g. {@code 127.0.0.1:9092}. */
    String address();

    /** Ports it needs free before it starts (empty when it uses a server it did not start). */
    List<Integer> ports();

    /** True when it answers clients now. */
    boolean isUp();

    /** True when this stack started it (so {@code down} stops it), false for a server found running. */
    boolean isManaged();

    /** Starts it and waits until it answers; throws {@link StackException} with the log tail if it does not. */
    void start();

    /** Stops it if this stack started it; returns whether something was stopped. */
    boolean stop();
}
