package dev.savepoint.checkpoint.messaging;

import dev.savepoint.checkpoint.service.RunService;
import dev.savepoint.contracts.ConsumerRetry;
import dev.savepoint.contracts.EventSignatures;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.faulttolerance.api.ApplyGuard;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code savepoint.runs} into the runs and attempts read model; acked after the transaction commits.
 * Transient failures are retried (the guard), anything thrown goes to {@code savepoint.runs.dlq} (the channel's
 * failure strategy), a record without a valid signature (contracts' EventSignatures) too, before anything else.
 */
@ApplicationScoped
public class RunEventConsumer {

    private final RunService runs;
    private final EventSignatures signatures;

    public RunEventConsumer(RunService runs, EventSignatures signatures) {
        this.runs = runs;
        this.signatures = signatures;
    }

    @Incoming("run-events")
    @Blocking
    @ApplyGuard(ConsumerRetry.GUARD)
    public void consume(ConsumerRecord<String, byte[]> record) {
        runs.onRunEvent(signatures.verify(record));
    }
}
