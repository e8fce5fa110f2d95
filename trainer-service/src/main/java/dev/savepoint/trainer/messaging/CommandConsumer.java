package dev.savepoint.trainer.messaging;

import dev.savepoint.contracts.ConsumerRetry;
import dev.savepoint.contracts.Failures;
import dev.savepoint.trainer.config.TrainerConfig;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.faulttolerance.api.ApplyGuard;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code savepoint.commands} for the {@link CommandHandler}, under the consumer failure policy: transient
 * failures are retried (the guard); an unreadable record, or a command that cannot be carried out, goes to
 * {@code savepoint.commands.dlq} with the reason (the channel's failure strategy), and the partition goes on.
 */
@ApplicationScoped
public class CommandConsumer {

    private final CommandHandler handler;
    private final TrainerConfig config;

    public CommandConsumer(CommandHandler handler, TrainerConfig config) {
        this.handler = handler;
        this.config = config;
    }

    @Incoming("commands")
    @Blocking
    @ApplyGuard(ConsumerRetry.GUARD)
    public void consume(ConsumerRecord<String, byte[]> record) {
        if (forThisDeployment(record.key())) {
            handler.handle(Failures.readable(record));
        }
    }

    private boolean forThisDeployment(String runId) {
        return config.commands().runIdPrefix().map(p -> runId != null && runId.startsWith(p)).orElse(true);
    }
}
