package dev.savepoint.scheduler.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Shows in the readiness check ({@code /q/health/ready}) whether the scheduler sees savepoint.runs: caught up,
 * since when, its horizon, or why it is blind. Always UP: a blind scheduler still takes API calls and only holds off
 * judging leases, so it must not be taken out of service for it.
 */
@Readiness
@ApplicationScoped
public class VisibilityHealth implements HealthCheck {

    private final ConsumerVisibility visibility;

    public VisibilityHealth(ConsumerVisibility visibility) {
        this.visibility = visibility;
    }

    @Override
    public HealthCheckResponse call() {
        var seen = visibility.snapshot();
        var response = HealthCheckResponse.named("savepoint.runs visibility").up()
                .withData("caughtUp", seen.caughtUp())
                .withData("horizon", String.valueOf(seen.horizon()))
                .withData("visibleSince", String.valueOf(seen.visibleSince()));
        return seen.caughtUp() ? response.build() : response.withData("blindBecause", seen.blindReason()).build();
    }
}
