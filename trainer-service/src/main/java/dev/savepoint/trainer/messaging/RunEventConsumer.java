package dev.savepoint.trainer.messaging;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.Heartbeat;
import dev.savepoint.contracts.events.SavepointEvent;
import dev.savepoint.trainer.supervisor.AttemptSupervisor;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Follows {@code savepoint.runs} (every instance in a group of its own, from the end) for the step of its attempts'
 * heartbeats and for the terminal events they send themselves. Records it cannot read are skipped, not
 * dead-lettered: this topic belongs to other consumers.
 */
@ApplicationScoped
public class RunEventConsumer {

    private static final Logger LOG = Logger.getLogger(RunEventConsumer.class);

    private final AttemptSupervisor supervisor;

    public RunEventConsumer(AttemptSupervisor supervisor) {
        this.supervisor = supervisor;
    }

    @Incoming("run-events")
    public void consume(ConsumerRecord<String, byte[]> record) {
        SavepointEvent event;
        try {
            event = Json.event(record.value() == null ? new byte[0] : record.value());
        } catch (RuntimeException e) {
            LOG.debugf("skipping unreadable record %s/%d@%d: %s", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return;
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
