package dev.savepoint.trainer.messaging;

import dev.savepoint.contracts.ConsumerRetry;
import dev.savepoint.contracts.EventSignatures;
import dev.savepoint.trainer.config.TrainerConfig;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.faulttolerance.api.ApplyGuard;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code savepoint.commands} for the {@link CommandHandler}, under the consumer failure policy: transient
 * failures are retried (the guard); an unreadable record, or a command that cannot be carried out, goes to
 * {@code savepoint.commands.dlq} with the reason (the channel's failure strategy), and the partition goes on. So does a
 * command without the scheduler's signature (contracts' EventSignatures, service form only): nothing is launched.
 */
@ApplicationScoped
public class CommandConsumer {

    private final CommandHandler handler;
    private final TrainerConfig config;
    private final EventSignatures signatures;

    public CommandConsumer(CommandHandler handler, TrainerConfig config, EventSignatures signatures) {
        this.handler = handler;
        this.config = config;
        this.signatures = signatures;
    }

    @Incoming("commands")
    @Blocking
    @ApplyGuard(ConsumerRetry.GUARD)
    public void consume(ConsumerRecord<String, byte[]> record) {
        if (forThisDeployment(record.key())) {
            handler.handle(signatures.verifyFromService(record));
        }
    }

    private boolean forThisDeployment(String runId) {
        return config.commands().runIdPrefix().map(p -> runId != null && runId.startsWith(p)).orElse(true);
    }
}
