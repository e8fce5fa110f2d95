package dev.savepoint.scheduler.flow;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.SavepointEvent;
import dev.savepoint.stack.KafkaTestClient;
import dev.savepoint.stack.TopicTail;
import java.util.List;

/**
 * Plays trainer-service over the real broker: collects the commands the scheduler sends for one run and publishes
 * the attempt events a worker would.
 */
final class FakeWorker implements AutoCloseable {

    private final String runId;
    private final TopicTail commands;

    FakeWorker(String runId) {
        this.runId = runId;
        this.commands = TopicTail.fromStart(Topics.COMMANDS, runId);
    }

    /** Commands of this run received so far. */
    List<SavepointEvent> commands() {
        return commands.events(SavepointEvent.class, e -> true);
    }

    <T extends SavepointEvent> List<T> commands(Class<T> type) {
        return commands.events(type, e -> true);
    }

    void publish(String topic, SavepointEvent event) {
        KafkaTestClient.send(topic, event); // signed as its real sender would sign it
    }

    void send(String topic, byte[] value) {
        KafkaTestClient.send(topic, runId, value);
    }

    @Override
    public void close() {
        commands.close();
    }
}
