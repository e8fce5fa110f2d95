package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.SavepointEvent;
import dev.savepoint.stack.TopicTail;
import java.time.Duration;
import java.util.List;

/** Every event of one run on one topic, read from the real broker with the shared test client. */
final class RunEvents {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private RunEvents() {
    }

    /** Reads {@code topic} from the beginning until {@code count} events of {@code runId} have arrived (30 s at most). */
    static <T extends SavepointEvent> List<T> await(String topic, String runId, Class<T> type, int count) {
        try (TopicTail events = TopicTail.fromStart(topic, runId)) {
            return events.awaitEvents(type, e -> true, count, TIMEOUT);
        }
    }

    static <T extends SavepointEvent> T one(String runId, Class<T> type) {
        String topic = type.getSimpleName().startsWith("Checkpoint") ? Topics.CHECKPOINTS : Topics.RUNS;
        return await(topic, runId, type, 1).get(0);
    }
}
