package dev.savepoint.scheduler.service;

import dev.savepoint.scheduler.config.SchedulerConfig;
import dev.savepoint.scheduler.domain.RunEntity;
import dev.savepoint.scheduler.repository.RunRepository;
import dev.savepoint.scheduler.run.Goodput;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jboss.logging.Logger;

/**
 * Goodput as Prometheus gauges, one series per run (tag {@code run}) for live runs and runs that ended within
 * {@code savepoint.scheduler.goodput.metrics-window}: {@code savepoint_run_goodput} (0..1), the seconds of wall time,
 * training, startup, relaunch wait and recompute, and the lost steps. Recomputed from the database on a timer, the
 * same numbers as {@code GET /api/runs/{id}} ({@link Goodput}).
 */
@ApplicationScoped
public class GoodputMetrics {

    private static final Logger LOG = Logger.getLogger(GoodputMetrics.class);

    private final RunRepository runs;
    private final RunAccounting accounting;
    private final SchedulerConfig config;
    private final Map<String, ToDoubleFunction<Goodput.RunAccount>> series = Map.of(
            "savepoint.run.goodput", Goodput.RunAccount::goodput,
            "savepoint.run.wall.seconds", Goodput.RunAccount::wallSeconds,
            "savepoint.run.training.seconds", Goodput.RunAccount::trainingSeconds,
            "savepoint.run.startup.seconds", Goodput.RunAccount::startupSeconds,
            "savepoint.run.relaunch.wait.seconds", Goodput.RunAccount::relaunchWaitSeconds,
            "savepoint.run.recompute.seconds", Goodput.RunAccount::recomputeSeconds,
            "savepoint.run.lost.steps", a -> a.lostSteps());
    private final Map<String, MultiGauge> gauges;

    public GoodputMetrics(RunRepository runs, RunAccounting accounting, SchedulerConfig config,
            MeterRegistry registry) {
        this.runs = runs;
        this.accounting = accounting;
        this.config = config;
        this.gauges = series.keySet().stream().collect(java.util.stream.Collectors.toMap(name -> name,
                name -> MultiGauge.builder(name).description("goodput accounting of a run, see docs/architecture.md")
                        .register(registry)));
    }

    @Scheduled(every = "${savepoint.scheduler.goodput.metrics-interval:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            Instant now = Instant.now();
            Map<String, Goodput.RunAccount> accounts = accounting.of(recent(now), now);
            series.forEach((name, value) -> gauges.get(name).register(accounts.entrySet().stream()
                    .map(e -> MultiGauge.Row.of(Tags.of("run", e.getKey()), value.applyAsDouble(e.getValue())))
                    .toList(), true));
        } catch (RuntimeException e) {
            LOG.warn("goodput gauges not refreshed; retried on the next interval", e);
        }
    }

    @Transactional
    List<RunEntity> recent(Instant now) {
        var goodput = config.goodput();
        return runs.liveOrChangedSince(now.minus(goodput.metricsWindow()), goodput.metricsMaxRuns());
    }
}
