package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.SavepointEvent;
import dev.savepoint.stack.KafkaTestClient;
import dev.savepoint.stack.TopicTail;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Every event of one run on one topic, read from the real broker with the shared test client (TopicTail). */
final class RunEvents {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private RunEvents() {
    }

    /** The first {@code count} events of {@code runId} of {@code type} on {@code topic}, read from its beginning. */
    static <T extends SavepointEvent> List<T> await(String topic, String runId, Class<T> type, int count) {
        try (TopicTail events = TopicTail.fromStart(topic, runId)) {
            return events.awaitEvents(type, e -> true, count, TIMEOUT).subList(0, count);
        }
    }

    /** Every event of {@code runId} on {@code topic}, in order, up to and including the first of type {@code last}. */
    static List<SavepointEvent> until(String topic, String runId, Class<? extends SavepointEvent> last) {
        return until(topic, runId, last::isInstance);
    }

    /**
     * Every event of {@code runId} on {@code topic}, in order, up to and including the first that {@code last}
     * accepts; fails after 60 s. Events of a run share a partition, so nothing before it is missed.
     */
    static List<SavepointEvent> until(String topic, String runId, Predicate<SavepointEvent> last) {
        try (TopicTail events = TopicTail.fromStart(topic, runId)) {
            KafkaTestClient.await(TIMEOUT, "a matching event of run " + runId + " on " + topic,
                    () -> upTo(events, last).isPresent());
            return upTo(events, last).orElseThrow();
        }
    }

    /** The first event of {@code runId} of {@code type} that matches, reading {@code topic} for up to 60 s. */
    static <T extends SavepointEvent> T first(String topic, String runId, Class<T> type, Predicate<T> matches) {
        try (TopicTail events = TopicTail.fromStart(topic, runId)) {
            return events.awaitEvent(type, matches, TIMEOUT);
        }
    }

    /** The events of one type among {@code events}. */
    static <T extends SavepointEvent> List<T> ofType(List<SavepointEvent> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends SavepointEvent> T one(String runId, Class<T> type) {
        String topic = type.getSimpleName().startsWith("Checkpoint") ? Topics.CHECKPOINTS : Topics.RUNS;
        return await(topic, runId, type, 1).get(0);
    }

    private static Optional<List<SavepointEvent>> upTo(TopicTail events, Predicate<SavepointEvent> last) {
        List<SavepointEvent> seen = events.events(SavepointEvent.class, e -> true);
        for (int i = 0; i < seen.size(); i++) {
            if (last.test(seen.get(i))) {
                return Optional.of(seen.subList(0, i + 1));
            }
        }
        return Optional.empty();
    }
}
