package dev.savepoint.contracts;

import io.smallrye.faulttolerance.api.Guard;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * The retry half of the consumer failure policy, as a SmallRye Fault Tolerance guard: a transient failure (see
 * {@link Failures#isTransient}) is retried with exponential backoff for as long as it lasts, so the record is neither
 * skipped nor dead-lettered and its partition waits; any other failure passes through at once to the channel's
 * {@code dead-letter-queue} failure strategy. Each service produces it as a bean named {@link #GUARD} and puts
 * {@code @ApplyGuard(ConsumerRetry.GUARD)} on its {@code @Incoming} methods.
 */
public final class ConsumerRetry {

    /** The identifier of the guard bean every consumer method applies. */
    public static final String GUARD = "savepoint-consumer-retry";

    private static final System.Logger LOG = System.getLogger(ConsumerRetry.class.getName());

    private ConsumerRetry() {
    }

    /** Retries transient failures without limit, waiting {@code initialDelay}, doubling up to {@code maxDelay}. */
    public static Guard guard(Duration initialDelay, Duration maxDelay) {
        return Guard.create().withDescription(GUARD)
                .withRetry()
                .maxRetries(-1)
                .maxDuration(0, ChronoUnit.MILLIS) // no limit: an outage of the database is waited out
                .delay(initialDelay.toMillis(), ChronoUnit.MILLIS)
                .jitter(0, ChronoUnit.MILLIS)
                .whenException(Failures::isTransient)
                .beforeRetry((Throwable failure) -> LOG.log(System.Logger.Level.WARNING,
                        "transient failure, processing the record again after a backoff (at most {0} ms): {1}",
                        maxDelay.toMillis(), Failures.describe(failure)))
                .withExponentialBackoff().factor(2).maxDelay(maxDelay.toMillis(), ChronoUnit.MILLIS).done()
                .done()
                .build();
    }
}
