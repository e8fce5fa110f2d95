package dev.savepoint.stack.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.stack.LocalStack;
import dev.savepoint.stack.SavepointClient;
import dev.savepoint.stack.Ports;
import dev.savepoint.stack.Services;
import dev.savepoint.stack.StackException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a chaos run hits: the attempts trainer-service runs, the service processes {@link Services#processes()} lists
 * and the parts of a {@link LocalStack} it started itself, with the signals each fault sends.
 */
public final class ChaosTargets {

    /** A running attempt: its run, number and process id. */
    public record Attempt(String runId, int attempt, long pid) {
    }

    private final LocalStack stack;
    private final Services services;
    private final SavepointClient client;
    private final PrintStream log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    public ChaosTargets(LocalStack stack, Services services, SavepointClient client, PrintStream log) {
        this.stack = stack;
        this.services = services;
        this.client = client;
        this.log = log;
    }

    public SavepointClient client() {
        return client;
    }

    /** The attempts trainer-service runs now (state RUNNING with a pid), read from its API. */
    public List<Attempt> runningAttempts() {
        List<Attempt> running = new ArrayList<>();
        try {
            for (JsonNode a : client.get(services.service("trainer-service").url() + "/api/attempts")) {
                if (a.path("state").asText().equals("RUNNING") && a.hasNonNull("pid")) {
                    running.add(new Attempt(a.path("runId").asText(), a.path("attempt").asInt(),
                            a.path("pid").asLong()));
                }
            }
        } catch (RuntimeException unreachable) {
            // trainer-service is down or frozen by another fault: no attempt to kill now
        }
        return running;
    }

    /** The service processes a fault may hit. */
    public List<Services.Service> serviceProcesses() {
        return services.processes();
    }

    /** Whether the stack runs this part itself (a server it found running, e.g. the machine's PostgreSQL, is spared). */
    public boolean owns(String part) {
        return stack.process(part).isPresent();
    }

    /** SIGKILLs a service process and, like a lost node, every process it started. */
    public boolean killService(Services.Service s) {
        Optional<ProcessHandle> p = services.running(s.name());
        p.ifPresent(h -> {
            h.descendants().forEach(ProcessHandle::destroyForcibly);
            h.destroyForcibly();
            h.onExit().join();
        });
        return p.isPresent();
    }

    /**
     * Starts a service process again and waits until it is ready, for up to ten minutes: while a part it needs is out
     * (a broker that takes two minutes to come back) it stays unready, and a start that exits (its migrations could
     * not reach a PostgreSQL another fault stopped) is started again.
     */
    public void startService(Services.Service s) {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        services.start(s);
        while (true) {
            Ports.await(Duration.ofSeconds(30), () -> services.running(s.name()).isEmpty() || ready(s));
            if (services.running(s.name()).isPresent() && ready(s)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new StackException(s.name() + " did not become ready again within 10 minutes after a chaos "
                        + "fault; see its log under " + services.root().resolve("logs"));
            }
            if (services.running(s.name()).isEmpty()) {
                log.println("chaos: " + s.name() + " exited while starting (a part it needs is out); starting it "
                        + "again");
                services.start(s);
            }
        }
    }

    private boolean ready(Services.Service s) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(s.url() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Sends {@code signal} (STOP or CONT) to a service process and every process it started, parents first. */
    public boolean signalService(Services.Service s, String signal) {
        Optional<ProcessHandle> p = services.running(s.name());
        p.ifPresent(h -> {
            Signals.send(h.pid(), signal);
            h.descendants().forEach(d -> Signals.send(d.pid(), signal));
        });
        return p.isPresent();
    }

    /** Sends {@code signal} to a stack part the stack started; false when it has none running. */
    public boolean signalPart(String part, String signal) {
        Optional<ProcessHandle> p = stack.process(part);
        p.ifPresent(h -> Signals.send(h.pid(), signal));
        return p.isPresent();
    }

    public boolean killPart(String part) {
        return stack.kill(part);
    }

    public boolean stopPart(String part) {
        return stack.stop(part);
    }

    /**
     * Starts a part again; a start that fails (on a loaded machine Kafka may not answer within its minute) is waited
     * for a minute more, then killed and tried again, for up to five minutes.
     */
    public void restartPart(String part) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            try {
                stack.restart(part);
                return;
            } catch (StackException e) {
                if (Ports.await(Duration.ofMinutes(1), () -> stack.answers(part))) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                log.println("chaos: " + part + " did not come back (" + e.getMessage().lines().findFirst().orElse("")
                        + "); killing what started and trying again");
                stack.kill(part);
            }
        }
    }
}
