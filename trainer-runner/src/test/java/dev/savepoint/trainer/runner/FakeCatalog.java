package dev.savepoint.trainer.runner;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * checkpoint-service's catalog API for the calls an attempt makes, over real HTTP, holding the states the test gives
 * each checkpoint: lease-newest leases the newest COMMITTED one, a named lease is refused (409) for any other state,
 * a corrupt report marks one CORRUPT, and with {@link #keepLast1} retention deletes from storage every committed
 * checkpoint but the newest and the leased ones, as checkpoint-service does. That checkpoint-service itself chooses
 * and leases atomically, and never serves a REJECTED, CORRUPT or replaced checkpoint, is tested there
 * (LeaseNewestApiTest, RetentionRacesLeaseNewestTest, CheckpointApiTest); here the point is that the attempt follows
 * what the catalog says and holds its lease until the restore is done. Every call is handled under one lock.
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
    private final Map<String, String> leases = new LinkedHashMap<>(); // lease id -> checkpoint id
    private StoredRun retention;
    private Consumer<String> afterLeaseNewest = id -> { };
    final List<String> corruptReports = new CopyOnWriteArrayList<>();
    /** Checkpoints lease-newest returned, in order. */
    final List<String> leasedNewest = new CopyOnWriteArrayList<>();
    /** Checkpoints whose lease was released, in order. */
    final List<String> released = new CopyOnWriteArrayList<>();
    /** Checkpoints retention deleted, in order. */
    final List<String> deleted = new CopyOnWriteArrayList<>();

    FakeCatalog() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    synchronized void put(String runId, long step, int attempt, String state) {
        Entry e = new Entry(runId, step, attempt, state);
        entries.put(e.id(), e);
        if (retention != null && state.equals("COMMITTED")) {
            collect(runId);
        }
    }

    /** From now on every commit deletes the run's older committed checkpoints from storage unless leased. */
    synchronized void keepLast1(StoredRun storage) {
        retention = storage;
    }

    /** Runs right after lease-newest chose and leased a checkpoint, before the attempt hears of it. */
    synchronized void afterLeaseNewest(Consumer<String> action) {
        afterLeaseNewest = action;
    }

    synchronized boolean isLeased(String checkpointId) {
        return leases.containsValue(checkpointId);
    }

    private void collect(String runId) {
        Optional<Entry> newest = newestCommitted(runId);
        entries.values().stream().filter(e -> e.runId().equals(runId) && e.state().equals("COMMITTED"))
                .filter(e -> !e.equals(newest.orElse(null)) && !leases.containsValue(e.id())).toList()
                .forEach(e -> {
                    retention.deleteFolder(CheckpointManifest.prefix(e.runId(), e.step(), e.attempt()));
                    entries.put(e.id(), new Entry(e.runId(), e.step(), e.attempt(), "DELETED"));
                    deleted.add(e.id());
                });
    }

    private Optional<Entry> newestCommitted(String runId) {
        return entries.values().stream().filter(e -> e.runId().equals(runId) && e.state().equals("COMMITTED"))
                .max(Comparator.comparingLong(Entry::step).thenComparingInt(Entry::attempt));
    }

    private synchronized void handle(HttpExchange x) throws IOException {
        String[] path = x.getRequestURI().getPath().split("/"); // "", "api", ...
        String method = x.getRequestMethod();
        if (method.equals("POST") && path.length == 7 && path[2].equals("runs") && path[5].equals("latest")) {
            Optional<Entry> newest = newestCommitted(path[3]);
            if (entries.values().stream().noneMatch(e -> e.runId().equals(path[3]))) {
                send(x, 404, Json.write(Map.of("message", "run '" + path[3] + "' is unknown to the catalog",
                        "reason", "RUN_UNKNOWN")));
                return;
            }
            if (newest.isEmpty()) {
                send(x, 404, Json.write(Map.of("message", "run has no committed checkpoint yet",
                        "reason", "NO_COMMITTED_CHECKPOINT")));
                return;
            }
            String leaseId = lease(newest.get().id());
            leasedNewest.add(newest.get().id());
            afterLeaseNewest.accept(newest.get().id());
            send(x, 201, Json.write(Map.of("checkpoint", body(newest.get()),
                    "lease", Map.of("leaseId", leaseId, "checkpointId", newest.get().id()))));
        } else if (method.equals("GET") && path.length == 4 && path[2].equals("checkpoints")) {
            respond(x, entries.get(path[3]));
        } else if (method.equals("POST") && path.length == 5 && path[4].equals("corrupt")) {
            corruptReports.add(path[3]);
            entries.computeIfPresent(path[3], (id, e) -> new Entry(e.runId(), e.step(), e.attempt(), "CORRUPT"));
            respond(x, entries.get(path[3]));
        } else if (method.equals("POST") && path.length == 5 && path[4].equals("lease")) {
            Entry e = entries.get(path[3]);
            if (e == null || !e.state().equals("COMMITTED")) {
                send(x, e == null ? 404 : 409, Json.write(Map.of("message", "checkpoint '" + path[3] + "' is "
                        + (e == null ? "unknown" : e.state() + "; only COMMITTED checkpoints can be leased"))));
                return;
            }
            send(x, 201, Json.write(Map.of("leaseId", lease(e.id()), "checkpointId", e.id())));
        } else if (method.equals("DELETE") && path.length == 4 && path[2].equals("leases")) {
            String checkpointId = leases.remove(path[3]);
            if (checkpointId != null) {
                released.add(checkpointId);
            }
            send(x, checkpointId == null ? 404 : 204, null);
        } else {
            send(x, 404, Json.write(Map.of("error", "no such endpoint: " + method + " " + x.getRequestURI())));
        }
    }

    private String lease(String checkpointId) {
        String leaseId = UUID.randomUUID().toString();
        leases.put(leaseId, checkpointId);
        return leaseId;
    }

    private static Map<String, Object> body(Entry e) {
        return Map.of("id", e.id(), "runId", e.runId(), "step", e.step(), "attempt", e.attempt(),
                "state", e.state(), "prefix", CheckpointManifest.prefix(e.runId(), e.step(), e.attempt()));
    }

    private static void respond(HttpExchange x, Entry e) throws IOException {
        if (e == null) {
            send(x, 404, Json.write(Map.of("error", "no such checkpoint")));
            return;
        }
        send(x, 200, Json.write(body(e)));
    }

    private static void send(HttpExchange x, int status, byte[] body) throws IOException {
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, body == null ? -1 : body.length);
        try (var out = x.getResponseBody()) {
            if (body != null) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
