package dev.savepoint.stack.chaos;

import dev.savepoint.stack.LocalStack;
import dev.savepoint.stack.SavepointClient;
import dev.savepoint.stack.Services;
import dev.savepoint.stack.StackSettings;
import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A whole chaos run: the twin, the workload kept live while the engine injects the plan's faults, the wait for every
 * run to end, the invariants, and the table of both. Used by {@code ./savepoint chaos} and by ChaosIT.
 */
public final class ChaosRun {

    /**
     * How big a chaos run is.
     *
     * @param window        the time over which the faults are spread
     * @param faults        how many faults
     * @param longestOutage the longest an outage or a pause lasts
     * @param steps         steps of each built-in run
     * @param builtIn       built-in runs kept live during the window
     * @param command       command runs kept live during the window
     */
    public record Size(Duration window, int faults, Duration longestOutage, int steps, int builtIn, int command) {

        /** The size {@code ./savepoint chaos --minutes M} runs: a fault every 7.5 s, outages up to 30 s. */
        public static Size minutes(int minutes) {
            return new Size(Duration.ofMinutes(minutes), Math.max(8, minutes * 8), Duration.ofSeconds(30), 4000, 2, 1);
        }
    }

    /** The environment the services under chaos need: a sweeper that runs and a grace it can wait out. */
    public static final Map<String, String> SERVICE_ENV = Map.of("SAVEPOINT_SWEEPER_INTERVAL", "10s",
            "SAVEPOINT_SWEEPER_GRACE", "45s", "SAVEPOINT_GC_INTERVAL", "10s");
    /** Sweeper grace plus two intervals and slack: by then every orphan older than the grace is gone. */
    static final Duration SWEEPER_WAIT = Duration.ofSeconds(90);

    /** What came out: the faults, the verdicts, and whether every invariant held. */
    public record Outcome(Chaos.Result chaos, List<Verdict> verdicts, Duration took) {
        public boolean allHeld() {
            return verdicts.stream().allMatch(Verdict::held);
        }
    }

    private final LocalStack stack;
    private final Services services;
    private final PrintStream out;

    public ChaosRun(LocalStack stack, Services services, PrintStream out) {
        this.stack = stack;
        this.services = services;
        this.out = out;
    }

    /** Runs the chaos of {@code size} from {@code seed} against the running stack and services, then checks. */
    public Outcome run(long seed, Size size, String checkpointSchema, String schedulerSchema,
            Map<String, String> datasource) throws InterruptedException {
        long t0 = System.nanoTime();
        SavepointClient client = new SavepointClient(services);
        Workload workload = new Workload(client, StackSettings.repositoryRoot(), size.steps(), out);
        workload.twin(Duration.ofMinutes(5));
        workload.topUp(size.builtIn(), size.command());
        Set<FaultKind> kinds = EnumSet.allOf(FaultKind.class);
        ChaosPlan plan = ChaosPlan.draw(seed, size.window(), size.faults(), size.longestOutage(), kinds);
        Chaos chaos = new Chaos(new ChaosTargets(stack, services, client, out), workload::live, out);
        Thread keeper = new Thread(() -> keepLive(workload, size), "chaos-workload");
        keeper.setDaemon(true);
        keeper.start();
        Chaos.Result result;
        try {
            result = chaos.run(plan);
        } finally {
            keeper.interrupt();
            keeper.join();
        }
        out.println("chaos: every fault is over; waiting for every run to end");
        workload.awaitAll(Duration.ofMinutes(10));
        List<Verdict> verdicts = new Invariants(client, stack.settings(), datasource, stack.kafkaAdminConfig(),
                checkpointSchema, schedulerSchema, SWEEPER_WAIT).check(workload.submitted(), result.zombies());
        verdicts = new java.util.ArrayList<>(verdicts);
        verdicts.add(0, Verdict.of("every fault undone: each part and service back", result.undone()));
        Outcome outcome = new Outcome(result, verdicts, Duration.ofNanos(System.nanoTime() - t0));
        workload.summary().forEach(l -> out.println("chaos: " + l));
        ChaosTable.print(outcome, out);
        return outcome;
    }

    /** Tops the workload up every second until interrupted; a scheduler out for a fault is asked again later. */
    private static void keepLive(Workload workload, Size size) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                workload.topUp(size.builtIn(), size.command());
            } catch (RuntimeException schedulerOut) {
                // the scheduler, its database or its broker is out for a fault: the next round submits
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
