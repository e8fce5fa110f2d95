package dev.savepoint.stack;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three Savepoint services as background processes on the local stack, each in one or more replicas, each waited
 * for until it is healthy. Replica {@code k} (0-based) of a service serves on the service's port plus {@code k} times
 * the span of the three ports (3 by default: trainer-service 8081, 8084, ...; checkpoint-service 8082, 8085, ...;
 * scheduler-service 8083, 8086, ...), logs to {@code logs/NAME.log}, records its pid in {@code pids/NAME.pid} and
 * keeps its attempts in {@code attempts/} (replica 0) or {@code attempts-k/}, where NAME is the service's name for
 * replica 0 and {@code SERVICE-k} for the others.
 */
public final class Services {

    /** A service module and the port its first replica serves on. */
    public record Service(String name, int port) {
        Path app(Path repo) {
            return repo.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        }

        /** The first replica's URL. */
        public String url() {
            return "http://127.0.0.1:" + port;
        }
    }

    /** One replica of a service: its index (0 for the first), port and process name (logs, pid file). */
    public record Replica(String service, int index, int port) {
        public String processName() {
            return index == 0 ? service : service + "-" + index;
        }

        public String url() {
            return "http://127.0.0.1:" + port;
        }

        String healthUrl() {
            return url() + "/q/health/ready";
        }
    }

    /** A replica whose process runs now. */
    public record RunningReplica(Replica replica, ProcessHandle process) {
    }

    /** The ports of trainer-service, checkpoint-service and scheduler-service. */
    public record ServicePorts(int trainer, int checkpoint, int scheduler) {
        public static final ServicePorts DEFAULT = new ServicePorts(8081, 8082, 8083);

        /** How far apart two replicas of a service are: the span of the three ports, so that no two collide. */
        int stride() {
            return Math.max(trainer, Math.max(checkpoint, scheduler))
                    - Math.min(trainer, Math.min(checkpoint, scheduler)) + 1;
        }
    }

    private static final Pattern REPLICA_PID = Pattern.compile("(trainer-service|checkpoint-service|scheduler-service)"
            + "(?:-(\\d+))?\\.pid");

    private final LocalStack stack;
    private final Path repo;
    private final StackSettings processes;
    private final List<Service> all;
    private final ServicePorts ports;
    private final int replicas;
    private final Map<String, Map<String, String>> extraEnv;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    public Services(LocalStack stack, Path repo) {
        this(stack, repo, 1);
    }

    /** The services in {@code replicas} replicas each, on the default ports and below the stack's state folder. */
    public Services(LocalStack stack, Path repo, int replicas) {
        this(stack, repo, stack.settings().root(), ServicePorts.DEFAULT, Map.of(), replicas);
    }

    /**
     * Services whose pids and logs live under {@code stateRoot}, on {@code ports}, with extra environment variables
     * by service name ({@code "*"} for all).
     */
    public Services(LocalStack stack, Path repo, Path stateRoot, ServicePorts ports,
            Map<String, Map<String, String>> extraEnv) {
        this(stack, repo, stateRoot, ports, extraEnv, 1);
    }

    /** As above, each service in {@code replicas} replicas (1 to {@value #MAX_REPLICAS}). */
    public Services(LocalStack stack, Path repo, Path stateRoot, ServicePorts ports,
            Map<String, Map<String, String>> extraEnv, int replicas) {
        if (replicas < 1 || replicas > MAX_REPLICAS) {
            throw new StackException("--replicas must be between 1 and " + MAX_REPLICAS + ", got " + replicas);
        }
        this.stack = stack;
        this.repo = repo;
        this.processes = stack.settings().withRoot(stateRoot);
        this.ports = ports;
        this.replicas = replicas;
        this.extraEnv = Map.copyOf(extraEnv);
        this.all = List.of(new Service("trainer-service", ports.trainer()),
                new Service("checkpoint-service", ports.checkpoint()),
                new Service("scheduler-service", ports.scheduler()));
    }

    /** The most replicas of a service {@code up} starts. */
    public static final int MAX_REPLICAS = 9;

    public List<Service> all() {
        return all;
    }

    public Service service(String name) {
        return all.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new StackException("no service named " + name));
    }

    /** Replica {@code index} of a service (whether or not it runs). */
    public Replica replica(String service, int index) {
        return new Replica(service, index, service(service).port() + index * ports.stride());
    }

    /** The replicas {@code up} starts, service by service. */
    public List<Replica> replicas() {
        List<Replica> out = new ArrayList<>();
        for (Service s : all) {
            for (int i = 0; i < replicas; i++) {
                out.add(replica(s.name(), i));
            }
        }
        return out;
    }

    /** The URLs of a service's replicas, comma-separated: what the other services and the clients fail over on. */
    public String urls(String service) {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            urls.add(replica(service, i).url());
        }
        return String.join(",", urls);
    }

    /**
     * The URLs of a service's replicas that run now, comma-separated (those of {@link #urls} when none runs): what
     * the CLI fails over on after an {@code up --replicas N} in another process.
     */
    public String runningUrls(String service) {
        List<String> urls = runningReplicas().stream().filter(r -> r.replica().service().equals(service))
                .map(r -> r.replica().url()).toList();
        return urls.isEmpty() ? urls(service) : String.join(",", urls);
    }

    /** Every replica that runs now (also ones of an earlier {@code up} with more replicas), by service and index. */
    public List<RunningReplica> runningReplicas() {
        List<RunningReplica> out = new ArrayList<>();
        for (Replica r : recordedReplicas()) {
            process(r).running().ifPresent(h -> out.add(new RunningReplica(r, h)));
        }
        return out;
    }

    private List<Replica> recordedReplicas() {
        java.util.TreeSet<Replica> found = new java.util.TreeSet<>(java.util.Comparator
                .comparing(Replica::service).thenComparingInt(Replica::index));
        found.addAll(replicas());
        try (var files = Files.list(processes.pids())) {
            files.map(f -> REPLICA_PID.matcher(f.getFileName().toString())).filter(Matcher::matches)
                    .forEach(m -> found.add(replica(m.group(1), m.group(2) == null ? 0 : Integer.parseInt(m.group(2)))));
        } catch (java.io.IOException noPidsYet) {
            // nothing recorded: only the configured replicas
        }
        return List.copyOf(found);
    }

    public void up(PrintStream out) {
        List<Replica> started = new ArrayList<>();
        try {
            for (Replica r : replicas()) {
                if (process(r).running().isPresent() && healthy(r)) {
                    out.printf("  %-20s already up   %s%n", r.processName(), r.url());
                    continue;
                }
                start(r);
                started.add(r);
            }
            for (Replica r : started) {
                awaitHealthy(r, out);
            }
        } catch (RuntimeException e) {
            started.forEach(r -> process(r).stop("TERM", Duration.ofSeconds(10)));
            throw e;
        }
    }

    /** Stops every replica that runs, however many {@code up} started. */
    public void down(PrintStream out) {
        for (Replica r : recordedReplicas()) {
            boolean stopped = stop(r);
            if (stopped || r.index() == 0) {
                out.printf("  %-20s %s%n", r.processName(), stopped ? "stopped" : "was not running");
            }
        }
    }

    public List<String> status() {
        return recordedReplicas().stream().filter(r -> r.index() < replicas || process(r).running().isPresent())
                .map(r -> String.format("%-20s %-5s %s", r.processName(),
                        process(r).running().isPresent() && healthy(r) ? "up" : "down", r.url())).toList();
    }

    /** The running process of a service's first replica, if any. */
    public Optional<ProcessHandle> running(String name) {
        return process(replica(name, 0)).running();
    }

    /** Starts a service's first replica (again) in the background; {@link #awaitHealthy} waits for it. */
    public void start(Service s) {
        start(replica(s.name(), 0));
    }

    /** Starts one replica (again) in the background; {@link #awaitHealthy(Replica, PrintStream)} waits for it. */
    public void start(Replica r) {
        Path app = service(r.service()).app(repo);
        if (!Files.isRegularFile(app)) {
            throw new StackException(app + " is missing: build first with mvn -DskipTests package");
        }
        if (!Ports.free("127.0.0.1", r.port())) {
            throw new StackException("port " + r.port() + " is already taken by another program, so "
                    + r.processName() + " cannot start. Stop that program and try again.");
        }
        Map<String, String> env = new HashMap<>();
        stack.serviceConfig(r.service()).forEach((k, v) -> env.put(envName(k), v));
        String checkpointUrls = urls("checkpoint-service");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(r.port()));
        env.put("SAVEPOINT_RUNNER_CHECKPOINT_SERVICE_URL", checkpointUrls);
        env.put("SAVEPOINT_SCHEDULER_CHECKPOINT_SERVICE_URL", checkpointUrls);
        // the console (checkpoint-service) reads runs and acts at the scheduler with the signed-in user's token
        env.put("SAVEPOINT_CONSOLE_SCHEDULER_URL", urls("scheduler-service"));
        env.put("SAVEPOINT_SCHEDULER_TRAINER_SERVICE_URLS", urls("trainer-service"));
        env.put("SAVEPOINT_ATTEMPTS_WORK_DIR", attemptsDir(r).toString());
        env.put("SAVEPOINT_REPO_ROOT", repo.toString());
        // Access control: on a laptop the services answer this machine only (Kubernetes images keep 0.0.0.0).
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.putAll(extraEnv.getOrDefault("*", Map.of()));
        env.putAll(extraEnv.getOrDefault(r.service(), Map.of()));
        process(r).start(List.of(Classpaths.javaExecutable(), "-Xmx384m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-jar", app.toString()), repo, env);
    }

    /** Stops one replica (SIGTERM, then SIGKILL after 15 s); returns whether it ran. */
    public boolean stop(Replica r) {
        return process(r).stop("TERM", Duration.ofSeconds(15));
    }

    /** A replica's own attempts folder: attempts of one trainer-service replica are never adopted by another. */
    Path attemptsDir(Replica r) {
        return processes.root().resolve(r.index() == 0 ? "attempts" : "attempts-" + r.index());
    }

    /** Where the services' logs and pid files and their attempts' folders are. */
    public Path root() {
        return processes.root();
    }

    /** The stack's admin API token (access control), for clients of the services' APIs. */
    public String adminToken() {
        return stack.tokens().admin();
    }

    public void awaitHealthy(Service s, PrintStream out) {
        awaitHealthy(replica(s.name(), 0), out);
    }

    public void awaitHealthy(Replica r, PrintStream out) {
        long t0 = System.nanoTime();
        ManagedProcess p = process(r);
        if (!Ports.await(Duration.ofSeconds(120), () -> p.running().isPresent() && healthy(r))) {
            throw new StackException(r.processName() + " did not become healthy at " + r.healthUrl()
                    + "; last log lines:\n" + p.logTail(25));
        }
        out.printf("  %-20s up in %.1fs   %s%n", r.processName(), (System.nanoTime() - t0) / 1e9, r.url());
    }

    private ManagedProcess process(Replica r) {
        return new ManagedProcess(r.processName(), processes);
    }

    boolean healthy(Replica r) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(r.healthUrl()))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    /** Quarkus reads {@code a.b-c} from the environment variable {@code A_B_C}. */
    static String envName(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
