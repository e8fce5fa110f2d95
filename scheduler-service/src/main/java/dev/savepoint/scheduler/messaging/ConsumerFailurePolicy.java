package dev.savepoint.scheduler.messaging;

import dev.savepoint.contracts.ConsumerRetry;
import dev.savepoint.contracts.EventSignatures;
import dev.savepoint.scheduler.config.SchedulerConfig;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * This service's consumers under the one failure policy (contracts' {@code Failures}): the retry guard their
 * {@code @Incoming} methods apply; the {@code dead-letter-queue} failure strategy of each channel is in
 * application.properties. Every record is verified first (contracts' EventSignatures, keyed by
 * {@code savepoint.event-key}): one without a valid signature is dead-lettered with the reason before anything else.
 * The same key signs the commands and events this service sends.
 */
public class ConsumerFailurePolicy {

    @Produces
    @Singleton
    @Identifier(ConsumerRetry.GUARD)
    Guard consumerRetry(SchedulerConfig config) {
        return ConsumerRetry.guard(config.consumer().retryBackoff(), config.consumer().maxRetryBackoff());
    }

    @Produces
    @Singleton
    EventSignatures eventSignatures(SchedulerConfig config) {
        return new EventSignatures(config.eventKey());
    }
}
