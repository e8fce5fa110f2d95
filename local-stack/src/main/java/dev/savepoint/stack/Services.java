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

/** The three Savepoint services as background processes on the local stack, each waited for until it is healthy. */
public final class Services {

    /** A service module and the port it serves on. */
    public record Service(String name, int port) {
        Path app(Path repo) {
            return repo.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        }

        public String url() {
            return "http://127.0.0.1:" + port;
        }

        String healthUrl() {
            return url() + "/q/health/ready";
        }
    }

    /** The ports of trainer-service, checkpoint-service and scheduler-service. */
    public record ServicePorts(int trainer, int checkpoint, int scheduler) {
        public static final ServicePorts DEFAULT = new ServicePorts(8081, 8082, 8083);
    }

    private final LocalStack stack;
    private final Path repo;
    private final StackSettings processes;
    private final List<Service> all;
    private final ServicePorts ports;
    private final Map<String, Map<String, String>> extraEnv;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    public Services(LocalStack stack, Path repo) {
        this(stack, repo, stack.settings().root(), ServicePorts.DEFAULT, Map.of());
    }

    /**
     * Services whose pids and logs live under {@code stateRoot}, on {@code ports}, with extra environment variables
     * by service name ({@code "*"} for all).
     */
    public Services(LocalStack stack, Path repo, Path stateRoot, ServicePorts ports,
            Map<String, Map<String, String>> extraEnv) {
        this.stack = stack;
        this.repo = repo;
        this.processes = stack.settings().withRoot(stateRoot);
        this.ports = ports;
        this.extraEnv = Map.copyOf(extraEnv);
        this.all = List.of(new Service("trainer-service", ports.trainer()),
                new Service("checkpoint-service", ports.checkpoint()),
                new Service("scheduler-service", ports.scheduler()));
    }

    public List<Service> all() {
        return all;
    }

    /**
     * Every service process that a fault may kill or freeze and that {@link #start} brings back: one per service
     * today, each replica once services run several.
     */
    public List<Service> processes() {
        return all;
    }

    public Service service(String name) {
        return all.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new StackException("no service named " + name));
    }

    public void up(PrintStream out) {
        List<Service> started = new ArrayList<>();
        try {
            for (Service s : all) {
                if (process(s).running().isPresent() && healthy(s)) {
                    out.printf("  %-18s already up   %s%n", s.name(), s.url());
                    continue;
                }
                start(s);
                started.add(s);
            }
            for (Service s : started) {
                awaitHealthy(s, out);
            }
        } catch (RuntimeException e) {
            started.forEach(s -> process(s).stop("TERM", Duration.ofSeconds(10)));
            throw e;
        }
    }

    public void down(PrintStream out) {
        for (Service s : all) {
            boolean stopped = process(s).stop("TERM", Duration.ofSeconds(15));
            out.printf("  %-18s %s%n", s.name(), stopped ? "stopped" : "was not running");
        }
    }

    public List<String> status() {
        return all.stream().map(s -> String.format("%-18s %-5s %s", s.name(),
                process(s).running().isPresent() && healthy(s) ? "up" : "down", s.url())).toList();
    }

    /** The running process of a service, if any. */
    public Optional<ProcessHandle> running(String name) {
        return process(service(name)).running();
    }

    /** Starts one service (again) in the background; {@link #awaitHealthy} waits for it. */
    public void start(Service s) {
        Path app = s.app(repo);
        if (!Files.isRegularFile(app)) {
            throw new StackException(app + " is missing: build first with mvn -DskipTests package");
        }
        if (!Ports.free("127.0.0.1", s.port())) {
            throw new StackException("port " + s.port() + " is already taken by another program, so " + s.name()
                    + " cannot start. Stop that program and try again.");
        }
        Map<String, String> env = new HashMap<>();
        stack.serviceConfig(s.name()).forEach((k, v) -> env.put(envName(k), v));
        String checkpointUrl = "http://127.0.0.1:" + ports.checkpoint();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(s.port()));
        env.put("SAVEPOINT_RUNNER_CHECKPOINT_SERVICE_URL", checkpointUrl);
        env.put("SAVEPOINT_SCHEDULER_CHECKPOINT_SERVICE_URL", checkpointUrl);
        // the console (checkpoint-service) reads runs and acts at the scheduler with the signed-in user's token
        env.put("SAVEPOINT_CONSOLE_SCHEDULER_URL", "http://127.0.0.1:" + ports.scheduler());
        env.put("SAVEPOINT_SCHEDULER_TRAINER_SERVICE_URLS", "http://127.0.0.1:" + ports.trainer());
        env.put("SAVEPOINT_ATTEMPTS_WORK_DIR", processes.root().resolve("attempts").toString());
        env.put("SAVEPOINT_REPO_ROOT", repo.toString());
        // Access control: on a laptop the services answer this machine only (Kubernetes images keep 0.0.0.0).
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.putAll(extraEnv.getOrDefault("*", Map.of()));
        env.putAll(extraEnv.getOrDefault(s.name(), Map.of()));
        process(s).start(List.of(Classpaths.javaExecutable(), "-Xmx384m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-jar", app.toString()), repo, env);
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
        long t0 = System.nanoTime();
        ManagedProcess p = process(s);
        if (!Ports.await(Duration.ofSeconds(120), () -> p.running().isPresent() && healthy(s))) {
            throw new StackException(s.name() + " did not become healthy at " + s.healthUrl() + "; last log lines:\n"
                    + p.logTail(25));
        }
        out.printf("  %-18s up in %.1fs   %s%n", s.name(), (System.nanoTime() - t0) / 1e9, s.url());
    }

    private ManagedProcess process(Service s) {
        return new ManagedProcess(s.name(), processes);
    }

    boolean healthy(Service s) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(s.healthUrl()))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    /** Quarkus reads {@code a.b-c} from the environment variable {@code A_B_C}. */
    static String envName(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
