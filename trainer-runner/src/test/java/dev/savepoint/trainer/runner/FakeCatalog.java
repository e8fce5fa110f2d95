package dev.savepoint.trainer.runner;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * checkpoint-service's catalog API for the calls an attempt makes, over real HTTP, holding the states the test gives
 * each checkpoint: {@code latest} is the newest COMMITTED one and a corrupt report marks one CORRUPT. That
 * checkpoint-service itself never serves a REJECTED or CORRUPT checkpoint as latest is tested there
 * (CheckpointCommitTest, CheckpointApiTest); here the point is that the attempt follows what the catalog says.
 */
final class FakeCatalog implements AutoCloseable {

    /** One catalog row. */
    record Entry(String runId, long step, int attempt, String state) {
        String id() {
            return CheckpointManifest.checkpointId(runId, step, attempt);
        }
    }

    private final HttpServer server;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    final List<String> corruptReports = new CopyOnWriteArrayList<>();

    FakeCatalog() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void put(String runId, long step, int attempt, String state) {
        Entry e = new Entry(runId, step, attempt, state);
        entries.put(e.id(), e);
    }

    private void handle(HttpExchange x) throws IOException {
        String[] path = x.getRequestURI().getPath().split("/"); // "", "api", ...
        String method = x.getRequestMethod();
        if (method.equals("GET") && path.length == 6 && path[2].equals("runs") && path[5].equals("latest")) {
            respond(x, entries.values().stream().filter(e -> e.runId().equals(path[3]))
                    .filter(e -> e.state().equals("COMMITTED"))
                    .max(Comparator.comparingLong(Entry::step).thenComparingInt(Entry::attempt)).orElse(null));
        } else if (method.equals("GET") && path.length == 4 && path[2].equals("checkpoints")) {
            respond(x, entries.get(path[3]));
        } else if (method.equals("POST") && path.length == 5 && path[4].equals("corrupt")) {
            corruptReports.add(path[3]);
            entries.computeIfPresent(path[3], (id, e) -> new Entry(e.runId(), e.step(), e.attempt(), "CORRUPT"));
            respond(x, entries.get(path[3]));
        } else if (method.equals("POST") && path.length == 5 && path[4].equals("lease")) {
            send(x, 201, Json.write(Map.of("checkpointId", path[3])));
        } else {
            send(x, 404, Json.write(Map.of("error", "no such endpoint: " + method + " " + x.getRequestURI())));
        }
    }

    private static void respond(HttpExchange x, Entry e) throws IOException {
        if (e == null) {
            send(x, 404, Json.write(Map.of("error", "no such checkpoint")));
            return;
        }
        send(x, 200, Json.write(Map.of("id", e.id(), "runId", e.runId(), "step", e.step(), "attempt", e.attempt(),
                "state", e.state(), "prefix", CheckpointManifest.prefix(e.runId(), e.step(), e.attempt()))));
    }

    private static void send(HttpExchange x, int status, byte[] body) throws IOException {
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, body.length);
        try (var out = x.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
