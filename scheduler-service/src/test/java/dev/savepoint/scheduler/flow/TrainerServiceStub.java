package dev.savepoint.scheduler.flow;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * trainer-service's attempt API as the scheduler's liveness probe asks it, played by a small HTTP server: the test
 * sets each attempt's state (404 until set) and reads which attempts were asked about.
 */
final class TrainerServiceStub implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, String> states = new ConcurrentHashMap<>();
    private final List<String> asked = new CopyOnWriteArrayList<>();

    TrainerServiceStub() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the trainer-service stub: " + e, e);
        }
        server.createContext("/api/attempts/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on the attempt is in this state (QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED). */
    void state(String runId, int attempt, String state) {
        states.put(runId + "/" + attempt, state);
    }

    /** How often the scheduler asked about the attempt so far. */
    long asked(String runId, int attempt) {
        return asked.stream().filter((runId + "/" + attempt)::equals).count();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String key = exchange.getRequestURI().getPath().substring("/api/attempts/".length());
        asked.add(key);
        String state = states.get(key);
        String[] parts = key.split("/");
        byte[] body = (state == null ? "{\"error\":\"no attempt " + key + " here\"}"
                : "{\"runId\":\"" + parts[0] + "\",\"attempt\":" + parts[1] + ",\"state\":\"" + state + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(state == null ? 404 : 200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
