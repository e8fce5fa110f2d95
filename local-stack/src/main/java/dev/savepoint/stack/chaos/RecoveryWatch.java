package dev.savepoint.stack.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.stack.SavepointClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How long a fault made the runs wait: from the moment it was injected until every run that was live then is back
 * past the step it had reached (a killed attempt's run has resumed and recomputed its lost steps; a run whose
 * heartbeats could not get through reports progress again) or has ended. Measured after the fault, off its slot.
 */
final class RecoveryWatch {

    static final Set<String> DONE = Set.of("SUCCEEDED", "GAVE_UP", "CANCELLED");
    /** A wait longer than this is recorded as this: the invariants, not the table, judge a run that never ends. */
    static final Duration LONGEST = Duration.ofMinutes(5);

    /** The runs live when a fault was injected, with the step each had reached. */
    record Mark(long nanos, Map<String, Long> steps) {
    }

    private final SavepointClient client;
    private final Supplier<List<String>> liveRuns;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "chaos-recovery");
        t.setDaemon(true);
        return t;
    });

    RecoveryWatch(SavepointClient client, Supplier<List<String>> liveRuns) {
        this.client = client;
        this.liveRuns = liveRuns;
    }

    Mark mark() {
        Map<String, Long> steps = new LinkedHashMap<>();
        for (String runId : liveRuns.get()) {
            steps.put(runId, step(runId));
        }
        return new Mark(System.nanoTime(), steps);
    }

    /** Records in {@code fault} how long its runs waited, once they are all back (at most {@link #LONGEST}). */
    void measure(Mark mark, InjectedFault fault) {
        pool.submit(() -> {
            long deadline = mark.nanos() + LONGEST.toNanos();
            Map<String, Long> waiting = new LinkedHashMap<>(mark.steps());
            while (!waiting.isEmpty() && System.nanoTime() < deadline) {
                waiting.entrySet().removeIf(e -> progressed(e.getKey(), e.getValue()));
                if (!waiting.isEmpty()) {
                    TimeUnit.MILLISECONDS.sleep(250); // polling the scheduler's view of the runs
                }
            }
            fault.waited = Duration.ofNanos(Math.min(System.nanoTime(), deadline) - mark.nanos());
            return null;
        });
    }

    /** Waits until every measurement has ended. */
    void awaitAll() throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(LONGEST.toMillis() + 10_000, TimeUnit.MILLISECONDS)) {
            pool.shutdownNow();
        }
    }

    private boolean progressed(String runId, long step) {
        try {
            JsonNode run = client.run(runId);
            return DONE.contains(run.path("state").asText()) || run.path("step").asLong(-1) > step;
        } catch (RuntimeException unreachable) {
            return false; // the scheduler is out itself: the run is still waiting as far as anyone can see
        }
    }

    private long step(String runId) {
        try {
            return client.run(runId).path("step").asLong(-1);
        } catch (RuntimeException unreachable) {
            return -1;
        }
    }
}
