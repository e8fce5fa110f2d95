package dev.savepoint.trainer.messaging;

import dev.savepoint.contracts.ConsumerRetry;
import dev.savepoint.contracts.EventSignatures;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.Heartbeat;
import dev.savepoint.contracts.events.SavepointEvent;
import dev.savepoint.trainer.supervisor.AttemptSupervisor;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.faulttolerance.api.ApplyGuard;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Follows {@code savepoint.runs} (every instance in a group of its own, from the end) for the step of its attempts'
 * heartbeats, for the terminal events they send themselves, and for newer attempts of their runs started by other
 * workers (an AttemptStarted or a Heartbeat of attempt m stops this worker's attempts n &lt; m: one attempt alive per
 * run), under the consumer failure policy: an unreadable or unsigned record goes to {@code savepoint.runs.dlq} with
 * the reason.
 */
@ApplicationScoped
public class RunEventConsumer {

    private final AttemptSupervisor supervisor;
    private final EventSignatures signatures;

    public RunEventConsumer(AttemptSupervisor supervisor, EventSignatures signatures) {
        this.supervisor = supervisor;
        this.signatures = signatures;
    }

    @Incoming("run-events")
    @Blocking
    @ApplyGuard(ConsumerRetry.GUARD)
    public void consume(ConsumerRecord<String, byte[]> record) {
        SavepointEvent event = signatures.verify(record);
        if (event instanceof AttemptStarted || event instanceof Heartbeat) {
            supervisor.onAttemptSeen(event.runId(), event.attempt());
        }
        if (event instanceof Heartbeat heartbeat) {
            supervisor.onHeartbeat(heartbeat.runId(), heartbeat.attempt(), heartbeat.step());
        } else if (event instanceof AttemptSucceeded succeeded) {
            supervisor.onReportedByAttempt(succeeded.runId(), succeeded.attempt(), succeeded.step());
        } else if (event instanceof AttemptFailed failed && !AttemptSupervisor.REPORTER.equals(failed.reporter())) {
            supervisor.onReportedByAttempt(failed.runId(), failed.attempt(), failed.step());
        }
    }
}
