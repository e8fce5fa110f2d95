package dev.savepoint.scheduler.flow;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.savepoint.stack.TestStack;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * checkpoint-service as the scheduler calls it, played by a small HTTP server: it answers corrupt marks (the first
 * one of each checkpoint with 503, so that it must be tried again) and latest-checkpoint queries, and records for
 * each call what the scheduler's database showed as committed when the call arrived; and the checkpoints a test
 * made known ({@link #know}), looked up and held for forks (the fork call records its request body).
 */
final class CatalogStub {

    /**
     * One call: what was asked, and the committed state of the attempt it concerns at that moment (for a fork hold:
     * its request body).
     */
    record Call(String what, String subject, int status, String detail) {
    }

    private static CatalogStub started;

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, String> config = TestStack.shared().serviceConfig();

    private CatalogStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/", this::handle);
        server.start();
    }

    static synchronized CatalogStub started() {
        if (started == null) {
            try {
                started = new CatalogStub();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the checkpoint-service stub: " + e, e);
            }
        }
        return started;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Call> calls(String what, String subject) {
        return calls.stream().filter(c -> c.what().equals(what) && c.subject().equals(subject)).toList();
    }

    /** A checkpoint the stub knows, for forks: GET /api/checkpoints/{id} and POST /api/checkpoints/{id}/forks. */
    record Known(String id, String runId, long step, String state) {
    }

    private final Map<String, Known> known = new java.util.concurrent.ConcurrentHashMap<>();

    void know(Known checkpoint) {
        known.put(checkpoint.id(), checkpoint);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String[] path = exchange.getRequestURI().getPath().split("/"); // "", api, kind, id, ...
        String body = "";
        int status;
        if (path[2].equals("checkpoints") && known.containsKey(path[3])) {
            Known k = known.get(path[3]);
            boolean hold = path[path.length - 1].equals("forks");
            status = hold && !k.state().equals("COMMITTED") ? 409 : hold ? 201 : 200;
            body = status == 409 ? "{\"message\":\"checkpoint '" + k.id() + "' is " + k.state() + "\"}"
                    : dev.savepoint.contracts.Json.writeString(k);
            calls.add(new Call(hold ? "fork" : "checkpoint", k.id(), status,
                    hold ? new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8) : ""));
        } else if (path[2].equals("checkpoints") && path.length == 4) {
            status = 404;
            body = "{\"message\":\"checkpoint '" + path[3] + "' does not exist\"}";
        } else if (path[2].equals("checkpoints") && path[path.length - 1].equals("corrupt")) {
            String checkpointId = path[3];
            String runId = checkpointId.substring(0, checkpointId.lastIndexOf("-ck"));
            status = calls("corrupt", checkpointId).isEmpty() ? 503 : 200;
            calls.add(new Call("corrupt", checkpointId, status, attemptState(runId, 1)));
        } else {
            String runId = path[3];
            status = 200;
            body = "{\"id\":\"" + runId + "-ck-good\",\"step\":100}";
            calls.add(new Call("latest", runId, status, attemptState(runId, 2)));
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** The committed state (and cause) of an attempt row, read as another client reads it: "none" without a row. */
    private String attemptState(String runId, int attempt) {
        try (Connection db = DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"));
                PreparedStatement q = db.prepareStatement("select state, cause from scheduler_test.attempts "
                        + "where run_id = ? and attempt = ?")) {
            q.setString(1, runId);
            q.setInt(2, attempt);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getString(1) + (rs.getString(2) == null ? "" : " " + rs.getString(2)) : "none";
            }
        } catch (SQLException e) {
            return "unreadable: " + e.getMessage();
        }
    }
}
