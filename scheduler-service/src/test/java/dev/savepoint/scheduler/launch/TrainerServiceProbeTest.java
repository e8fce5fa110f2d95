package dev.savepoint.scheduler.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kafka launcher's liveness probe against real HTTP servers playing trainer-service's attempt API. */
class TrainerServiceProbeTest {

    /** Answers per path: status and body; anything else is 404. */
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private HttpServer worker;

    @BeforeEach
    void start() throws IOException {
        worker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        worker.createContext("/api/attempts/", exchange -> {
            String body = answers.get(exchange.getRequestURI().getPath());
            byte[] bytes = (body == null ? "{\"error\":\"no such attempt\"}" : body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        worker.start();
    }

    @AfterEach
    void stop() {
        worker.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + worker.getAddress().getPort();
    }

    private void answer(String runId, int attempt, String state) {
        answers.put("/api/attempts/" + runId + "/" + attempt, "{\"runId\":\"" + runId + "\",\"attempt\":" + attempt
                + ",\"state\":\"" + state + "\",\"pid\":4242,\"exitCode\":" + (state.equals("FAILED") ? 137 : null)
                + "}");
    }

    private static String refused() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + free.getLocalPort(); // closed again: nothing listens there
        }
    }

    private static TrainerServiceProbe probe(List<String> workers) {
        return new TrainerServiceProbe(workers, Duration.ofSeconds(2));
    }

    @Test
    void runningAndQueuedAreAlive() {
        answer("r1", 1, "RUNNING");
        answer("r1", 2, "QUEUED");
        Liveness running = probe(List.of(url())).probe("r1", 1, null);
        assertEquals(Liveness.State.ALIVE, running.state());
        assertTrue(running.detail().contains("RUNNING") && running.detail().contains("4242"), running.detail());
        assertEquals(Liveness.State.ALIVE, probe(List.of(url())).probe("r1", 2, null).state());
    }

    @Test
    void anEndedAttemptIsGone() {
        answer("r2", 1, "FAILED");
        answer("r2", 2, "SUCCEEDED");
        answer("r2", 3, "CANCELLED");
        Liveness failed = probe(List.of(url())).probe("r2", 1, null);
        assertEquals(Liveness.State.GONE, failed.state());
        assertTrue(failed.detail().contains("FAILED") && failed.detail().contains("137"), failed.detail());
        assertEquals(Liveness.State.GONE, probe(List.of(url())).probe("r2", 2, null).state());
        assertEquals(Liveness.State.GONE, probe(List.of(url())).probe("r2", 3, null).state());
    }

    @Test
    void anAttemptNoWorkerKnowsIsGone() {
        Liveness l = probe(List.of(url(), url() + "/")).probe("r3", 1, null);
        assertEquals(Liveness.State.GONE, l.state());
        assertTrue(l.detail().contains("404"), l.detail());
    }

    @Test
    void anUnreachableWorkerMakesItUnknownUnlessAnotherKnowsIt() throws IOException {
        String refused = refused();
        Liveness l = probe(List.of(url(), refused)).probe("r4", 1, null);
        assertEquals(Liveness.State.UNKNOWN, l.state(), "a 404 here and no answer there proves nothing");
        assertTrue(l.detail().contains(refused), l.detail());

        answer("r4", 1, "RUNNING");
        assertEquals(Liveness.State.ALIVE, probe(List.of(refused, url())).probe("r4", 1, null).state());
    }

    @Test
    void theAttemptsOwnSupervisorIsAskedInsteadOfTheConfiguredWorkers() throws IOException {
        answer("r5", 1, "RUNNING");
        assertEquals(Liveness.State.ALIVE, probe(List.of(refused())).probe("r5", 1, url()).state());
        assertEquals(Liveness.State.UNKNOWN, probe(List.of(url())).probe("r5", 1, refused()).state());
    }
}
