package dev.savepoint.scheduler.messaging;

import dev.savepoint.contracts.ConsumerRetry;
import dev.savepoint.scheduler.config.SchedulerConfig;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * This service's consumers under the one failure policy (contracts' {@code Failures}): the retry guard their
 * {@code @Incoming} methods apply; the {@code dead-letter-queue} failure strategy of each channel is in
 * application.properties.
 */
public class ConsumerFailurePolicy {

    @Produces
    @Singleton
    @Identifier(ConsumerRetry.GUARD)
    Guard consumerRetry(SchedulerConfig config) {
        return ConsumerRetry.guard(config.consumer().retryBackoff(), config.consumer().maxRetryBackoff());
    }
}
