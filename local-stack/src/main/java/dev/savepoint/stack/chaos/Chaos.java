package dev.savepoint.stack.chaos;

import dev.savepoint.stack.Ports;
import dev.savepoint.stack.Services;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The chaos engine: injects the faults of a {@link ChaosPlan} at their offsets into a running stack and services,
 * logging each with its time. At most two faults are out at once, at most one of them an outage of the stack (Kafka,
 * S3, PostgreSQL), and never two on the same service process, so that every fault has something to come back to; a
 * fault due while that is not possible waits, and its line says how late it was.
 */
public final class Chaos {

    /** A run's attempt that was frozen past its lease and resumed: it must have changed nothing. */
    public record Zombie(String runId, int attempt, String service) {
    }

    /** What a chaos run did: every fault and every zombie it made. */
    public record Result(long seed, List<InjectedFault> faults, List<Zombie> zombies, List<String> undone) {
    }

    private final ChaosTargets targets;
    private final RecoveryWatch watch;
    private final PrintStream log;
    private final Semaphore slots = new Semaphore(2, true);
    private final Semaphore infrastructure = new Semaphore(1, true);
    private final Set<String> busyServices = ConcurrentHashMap.newKeySet();
    private final List<Zombie> zombies = new CopyOnWriteArrayList<>();
    private long startNanos;

    /** {@code liveRuns}: the ids of the runs being trained now, whose waits a fault is measured by. */
    public Chaos(ChaosTargets targets, Supplier<List<String>> liveRuns, PrintStream log) {
        this.targets = targets;
        this.watch = new RecoveryWatch(targets.client(), liveRuns);
        this.log = log;
    }

    /** Injects every fault of the plan and returns once each has ended and every wait it caused is measured. */
    public Result run(ChaosPlan plan) throws InterruptedException {
        log.printf("chaos: seed %d, %d faults (replay: --seed %d)%n", plan.seed(), plan.faults().size(), plan.seed());
        List<InjectedFault> faults = new ArrayList<>();
        List<Future<?>> running = new ArrayList<>();
        List<String> undone = new ArrayList<>();
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "chaos-fault");
            t.setDaemon(true);
            return t;
        });
        startNanos = System.nanoTime();
        try {
            for (ChaosPlan.Planned p : plan.faults()) {
                long due = p.at().toMillis() - elapsed().toMillis();
                if (due > 0) {
                    TimeUnit.MILLISECONDS.sleep(due); // the plan's own clock: the fault is due then
                }
                InjectedFault fault = new InjectedFault(p);
                faults.add(fault);
                boolean infra = p.kind().infrastructure;
                if (infra) {
                    infrastructure.acquire();
                }
                slots.acquire();
                running.add(pool.submit(() -> inject(fault, infra)));
            }
            for (int i = 0; i < running.size(); i++) {
                try {
                    running.get(i).get();
                } catch (java.util.concurrent.ExecutionException e) {
                    undone.add("fault " + faults.get(i).line().trim() + ": " + e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        watch.awaitAll();
        return new Result(plan.seed(), List.copyOf(faults), List.copyOf(zombies), List.copyOf(undone));
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private void inject(InjectedFault fault, boolean infra) {
        fault.injectedAt = elapsed();
        long late = fault.injectedAt.toMillis() - fault.planned.at().toMillis();
        if (late > 1000) {
            fault.note = String.format("%.1fs late: two faults were out", late / 1e3);
        }
        RecoveryWatch.Mark mark = watch.mark();
        try {
            new Injector(fault).inject();
            if (fault.injected) {
                watch.measure(mark, fault);
            }
        } catch (RuntimeException e) {
            fault.note = "could not be undone: " + e.getMessage().lines().findFirst().orElse("");
            throw e;
        } finally {
            slots.release();
            if (infra) {
                infrastructure.release();
            }
            synchronized (log) {
                log.println("chaos: " + fault.line());
            }
        }
    }

    /** The signals and restarts of one fault. */
    private final class Injector {

        private final InjectedFault fault;
        private final ChaosPlan.Planned p;

        Injector(InjectedFault fault) {
            this.fault = fault;
            this.p = fault.planned;
        }

        void inject() {
            switch (p.kind()) {
                case ATTEMPT_KILLED -> killAttempt();
                case SERVICE_KILLED -> onService(targets.serviceProcesses(), this::killService);
                case SERVICE_PAUSED -> onService(targets.serviceProcesses().stream()
                        .filter(s -> s.name().equals("trainer-service")).toList(), this::pauseService);
                case S3_FROZEN -> part("s3", () -> freeze("s3"));
                case S3_KILLED -> part("s3", () -> killAndRestart("s3", false));
                case KAFKA_KILLED -> part("kafka", () -> killAndRestart("kafka", false));
                case POSTGRES_STOPPED -> part("postgres", () -> killAndRestart("postgres", true));
                default -> throw new IllegalStateException("no injector for " + p.kind());
            }
        }

        private void killAttempt() {
            List<ChaosTargets.Attempt> attempts = awaitRunningAttempts();
            if (attempts.isEmpty()) {
                fault.note = "no attempt was running for a minute";
                return;
            }
            ChaosTargets.Attempt a = attempts.get((int) Math.floorMod(p.pick(), (long) attempts.size()));
            fault.target = "attempt " + a.attempt() + " of " + a.runId();
            ProcessHandle.of(a.pid()).ifPresent(h -> { // the attempt and what it started (a command run's trainer)
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
            });
            fault.injected = true;
        }

        private void onService(List<Services.Service> candidates, java.util.function.Consumer<Services.Service> f) {
            List<Services.Service> free = candidates.stream().filter(s -> !busyServices.contains(key(s))).toList();
            if (free.isEmpty()) {
                fault.note = "every candidate service was already out";
                return;
            }
            Services.Service s = free.get((int) Math.floorMod(p.pick(), (long) free.size()));
            busyServices.add(key(s));
            try {
                fault.target = s.name() + " :" + s.port();
                f.accept(s);
            } finally {
                busyServices.remove(key(s));
            }
        }

        private void killService(Services.Service s) {
            if (!targets.killService(s)) {
                fault.note = "it was not running";
                return;
            }
            fault.injected = true;
            long t0 = System.nanoTime();
            targets.startService(s);
            fault.outage = Duration.ofNanos(System.nanoTime() - t0);
        }

        private void pauseService(Services.Service s) {
            List<ChaosTargets.Attempt> frozen = awaitRunningAttempts(); // a zombie needs an attempt to freeze
            if (!targets.signalService(s, "STOP")) {
                fault.note = "it was not running";
                return;
            }
            fault.injected = true;
            frozen.forEach(a -> zombies.add(new Zombie(a.runId(), a.attempt(), s.name())));
            fault.note = frozen.size() + " attempts frozen with it";
            hold();
            targets.signalService(s, "CONT");
        }

        /** Right after another fault every run may be between attempts: waits up to a minute for one to run. */
        private List<ChaosTargets.Attempt> awaitRunningAttempts() {
            List<ChaosTargets.Attempt> attempts = new ArrayList<>();
            Ports.await(Duration.ofMinutes(1), () -> {
                attempts.addAll(targets.runningAttempts());
                return !attempts.isEmpty();
            });
            return attempts;
        }

        private void part(String name, Runnable f) {
            if (!targets.owns(name)) {
                fault.note = "the stack did not start " + name + " itself: spared";
                return;
            }
            fault.target = name;
            f.run();
        }

        private void freeze(String name) {
            fault.injected = targets.signalPart(name, "STOP");
            hold();
            targets.signalPart(name, "CONT");
        }

        private void killAndRestart(String name, boolean stop) {
            fault.injected = stop ? targets.stopPart(name) : targets.killPart(name);
            long t0 = System.nanoTime();
            hold();
            targets.restartPart(name);
            fault.outage = Duration.ofNanos(System.nanoTime() - t0);
        }

        /** The outage itself: the part is gone for the planned time, and nothing can be awaited while it is. */
        private void hold() {
            try {
                Thread.sleep(p.outage().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            fault.outage = p.outage();
        }

        private String key(Services.Service s) {
            return s.name() + ":" + s.port();
        }
    }
}
