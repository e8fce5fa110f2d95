package dev.savepoint.trainer.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.Heartbeat;
import dev.savepoint.contracts.events.SavepointEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Heartbeats to the real broker go on after a beat that throws: one bad beat must not get a healthy attempt killed. */
class HeartbeaterTest {

    @Test
    void aBeatThatThrowsIsLoggedAndTheNextBeatsAreSent() {
        String runId = "heartbeat-" + UUID.randomUUID();
        var logBytes = new ByteArrayOutputStream();
        var log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        try (var kafka = new KafkaEventSink(RunnerConfig.from(AttemptProcess.env()).kafkaClient(), null);
                var heartbeat = new Heartbeater(runId, 1, new ThrowsOnce(kafka), () -> new CheckpointWriter.Progress(
                        3, 200L, 1_500L), 100, log)) {
            List<Heartbeat> beats = RunEvents.await(Topics.RUNS, runId, Heartbeat.class, 3);
            assertTrue(beats.size() >= 3, "heartbeats after the failed one: " + beats.size() + "; log:\n" + logBytes);
            Heartbeat beat = beats.get(0);
            assertEquals(3, beat.checkpointsSkipped());
            assertEquals(200L, beat.newestDurableStep());
            assertEquals(1_500L, beat.newestDurableAgeMillis());
        }
        String logged = logBytes.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains("heartbeat of attempt 1 of run " + runId + " failed: "
                + "java.lang.IllegalStateException: the broker went away for one beat"), logged);
    }

    /** A sink whose first send throws, as a producer does when it cannot get metadata in time. */
    private static final class ThrowsOnce implements EventSink {
        private final EventSink delegate;
        private final AtomicInteger sends = new AtomicInteger();

        ThrowsOnce(EventSink delegate) {
            this.delegate = delegate;
        }

        @Override
        public void send(String topic, SavepointEvent event) {
            if (sends.getAndIncrement() == 0) {
                throw new IllegalStateException("the broker went away for one beat");
            }
            delegate.send(topic, event);
        }

        @Override
        public void flush() {
            delegate.flush();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
