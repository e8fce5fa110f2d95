package dev.savepoint.e2e;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.SavepointEvent;
import dev.savepoint.stack.TopicTail;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every event of one run on {@code savepoint.runs} with the time it arrived, from a thread of its own. */
final class RunEventLog implements AutoCloseable {

    /** An event and when this log received it. */
    record Received(Instant at, SavepointEvent event) {
    }

    private final List<Received> events = new CopyOnWriteArrayList<>();
    private final TopicTail runs = TopicTail.fromNow(Topics.RUNS);
    private final Thread thread;
    private volatile boolean closed;
    private volatile String runId;

    RunEventLog() {
        thread = new Thread(() -> {
            int seen = 0;
            while (!closed) {
                var records = runs.records();
                for (var r : records.subList(seen, records.size())) {
                    if (r.key() != null && r.key().equals(runId) && r.value() != null) {
                        events.add(new Received(Instant.now(), Json.event(r.value())));
                    }
                }
                seen = records.size();
            }
        }, "e2e-event-log");
        thread.start();
    }

    void follow(String runId) {
        this.runId = runId;
    }

    <T extends SavepointEvent> List<Received> of(Class<T> type) {
        return events.stream().filter(r -> type.isInstance(r.event())).toList();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join();
        runs.close();
    }
}
