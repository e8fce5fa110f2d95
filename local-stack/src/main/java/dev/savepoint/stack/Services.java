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

/** The three Savepoint services as background processes on the local stack, each waited for until it is healthy. */
public final class Services {

    /** A service module, the port it serves on, and its process. */
    public record Service(String name, int port) {
        Path app(Path repo) {
            return repo.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        }

        String healthUrl() {
            return "http://127.0.0.1:" + port + "/q/health/ready";
        }
    }

    public static final List<Service> ALL = List.of(new Service("trainer-service", 8081),
            new Service("checkpoint-service", 8082), new Service("scheduler-service", 8083));

    private final LocalStack stack;
    private final Path repo;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    public Services(LocalStack stack, Path repo) {
        this.stack = stack;
        this.repo = repo;
    }

    public void up(PrintStream out) {
        List<ManagedProcess> started = new ArrayList<>();
        try {
            for (Service s : ALL) {
                ManagedProcess p = new ManagedProcess(s.name(), stack.settings());
                if (p.running().isPresent() && healthy(s)) {
                    out.printf("  %-18s already up   http://127.0.0.1:%d%n", s.name(), s.port());
                    continue;
                }
                start(s, p);
                started.add(p);
            }
            for (Service s : ALL) {
                awaitHealthy(s, new ManagedProcess(s.name(), stack.settings()), out);
            }
        } catch (RuntimeException e) {
            started.forEach(p -> p.stop("TERM", Duration.ofSeconds(10)));
            throw e;
        }
    }

    public void down(PrintStream out) {
        for (Service s : ALL) {
            boolean stopped = new ManagedProcess(s.name(), stack.settings()).stop("TERM", Duration.ofSeconds(15));
            out.printf("  %-18s %s%n", s.name(), stopped ? "stopped" : "was not running");
        }
    }

    public List<String> status() {
        return ALL.stream().map(s -> String.format("%-18s %-5s http://127.0.0.1:%d", s.name(),
                new ManagedProcess(s.name(), stack.settings()).running().isPresent() && healthy(s) ? "up" : "down",
                s.port())).toList();
    }

    private void start(Service s, ManagedProcess p) {
        Path app = s.app(repo);
        if (!Files.isRegularFile(app)) {
            throw new StackException(app + " is missing: build first with mvn -DskipTests package");
        }
        if (!Ports.free("127.0.0.1", s.port())) {
            throw new StackException("port " + s.port() + " is already taken by another program, so " + s.name()
                    + " cannot start. Stop that program and try again.");
        }
        Map<String, String> env = new HashMap<>();
        stack.serviceConfig().forEach((k, v) -> env.put(envName(k), v));
        env.put("QUARKUS_HTTP_PORT", Integer.toString(s.port()));
        env.put("SAVEPOINT_REPO_ROOT", repo.toString());
        p.start(List.of(Classpaths.javaExecutable(), "-Xmx512m", "-XX:+UseSerialGC", "-jar", app.toString()),
                repo, env);
    }

    private void awaitHealthy(Service s, ManagedProcess p, PrintStream out) {
        long t0 = System.nanoTime();
        if (!Ports.await(Duration.ofSeconds(120), () -> p.running().isPresent() && healthy(s))) {
            throw new StackException(s.name() + " did not become healthy at " + s.healthUrl() + "; last log lines:\n"
                    + p.logTail(25));
        }
        out.printf("  %-18s up in %.1fs   http://127.0.0.1:%d%n", s.name(), (System.nanoTime() - t0) / 1e9, s.port());
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
