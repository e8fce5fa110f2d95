package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.events.SavepointEvent;

/** Where an attempt's events go. */
public interface EventSink extends AutoCloseable {

    /** Sends asynchronously; delivery failures are logged, never thrown into the training loop. */
    void send(String topic, SavepointEvent event);

    /** Blocks until every event sent so far is acknowledged (or the timeout passes). */
    void flush();

    @Override
    void close();
}
