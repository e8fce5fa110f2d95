package dev.savepoint.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.stack.KafkaTestClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * No secret in a log, an error body, the OpenAPI document or an event (issue 11). The services run with the stack's
 * secrets (S3 secret key, event key, service token, each one's Kafka password, the attempts' Kafka password) and this
 * test adds its own (the admin token, a token it creates, every attempt's derived signing secret); it drives the flows
 * that handle them (a run whose attempt is SIGKILLed and relaunched, token create/list/revoke, refusals of every kind,
 * a forged event), then searches every answer, the three OpenAPI documents, every file the services and their
 * attempts wrote, and every record of every topic for each secret.
 */
class NoSecretsIT {

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> answers = new ArrayList<>();

    @Test
    void noSecretInALogAnAnswerTheOpenApiDocumentOrAnEvent() throws Exception {
        Cluster cluster = Cluster.get();
        Map<String, String> secrets = stackSecrets(cluster);
        String scheduler = cluster.services.service("scheduler-service").url();
        String checkpoints = cluster.services.service("checkpoint-service").url();
        String trainer = cluster.services.service("trainer-service").url();
        String admin = cluster.services.adminToken();

        // a built-in run whose attempt is killed once: both attempts get their credentials and secrets
        String runId = cluster.client.submit(Specs.mlp("e2e-no-secrets", 300));
        long pid = cluster.awaitAttemptPast(runId, 1, 120);
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        JsonNode run = cluster.awaitDone(runId, Duration.ofMinutes(4));
        assertEquals("SUCCEEDED", run.path("state").asText(), run.toString());
        for (int attempt = 1; attempt <= run.path("currentAttempt").asInt(); attempt++) {
            secrets.put("attempt " + attempt + "'s signing secret",
                    KafkaTestClient.signatures().attemptSecret(runId, attempt));
        }

        // tokens: the created one is shown once, in that answer only; everything after must not show it again
        HttpResponse<String> created = send("POST", scheduler + "/api/tokens", admin,
                "{\"role\":\"viewer\",\"name\":\"no-secrets\",\"ttl\":\"1h\"}");
        assertEquals(201, created.statusCode(), created.body());
        answers.remove(answers.size() - 1);
        String viewer = Json.mapper().readTree(created.body()).path("token").asText();
        assertTrue(viewer.startsWith("sp_"), created.body());
        secrets.put("a viewer token created by the test", viewer);
        String tokenId = Json.mapper().readTree(created.body()).path("id").asText();
        assertEquals(200, send("GET", scheduler + "/api/tokens", admin, null).statusCode());
        assertEquals(200, send("GET", scheduler + "/api/runs/" + runId, viewer, null).statusCode());
        assertEquals(204, send("DELETE", scheduler + "/api/tokens/" + tokenId, admin, null).statusCode());

        // refusals: no token, a wrong one, a revoked-looking one, the wrong role, bad input; each answer is kept
        send("POST", scheduler + "/api/runs", null, Specs.mlp("e2e-no-secrets-x", 10));
        send("POST", scheduler + "/api/runs", "sp_abcdefghijkl_" + "x".repeat(43), Specs.mlp("e2e-x", 10));
        send("POST", scheduler + "/api/runs", "Basic " + admin, Specs.mlp("e2e-x", 10));
        send("GET", checkpoints + "/api/runs/" + runId + "/checkpoints", "not-a-token", null);
        send("POST", scheduler + "/api/tokens", cluster.stack.tokens().service().orElseThrow(),
                "{\"role\":\"admin\"}");
        send("POST", scheduler + "/api/runs", admin, "{\"name\": \"x\", \"maxSteps\": 1.5}");
        send("POST", scheduler + "/api/runs", admin, "null");
        send("GET", scheduler + "/api/runs/a%00b", admin, null);
        send("GET", checkpoints + "/api/checkpoints/..%2F..%2Fetc/files/passwd", admin, null);
        send("GET", trainer + "/api/attempts/" + runId + "/999", admin, null);
        send("POST", checkpoints + "/console/login", null, "token=" + "sp_wrong_" + "y".repeat(40));
        // a forged success is dead-lettered: its reason, too, is searched below
        KafkaTestClient.sendUnsigned(Topics.RUNS, runId, Json.write(AttemptSucceeded.of(runId, 1, 300,
                "f".repeat(64), 0.1, 1, 0)), List.of());

        for (String service : List.of(scheduler, checkpoints, trainer)) {
            HttpResponse<String> openapi = send("GET", service + "/q/openapi?format=json", null, null);
            assertEquals(200, openapi.statusCode(), service + "/q/openapi");
        }

        List<String> found = new ArrayList<>();
        for (var secret : secrets.entrySet()) {
            for (int i = 0; i < answers.size(); i++) {
                if (answers.get(i).contains(secret.getValue())) {
                    found.add(secret.getKey() + " in answer " + answers.get(i).lines().findFirst().orElse(""));
                }
            }
        }
        // The search must be able to find what it looks for: a planted file and the forged record are found.
        Path canaryFile = cluster.services.root().resolve("no-secrets-canary.txt");
        Files.writeString(canaryFile, "canary " + runId);
        Map<String, String> searched = new LinkedHashMap<>(secrets);
        searched.put("canary file", "canary " + runId);
        searched.put("canary record", "f".repeat(64));
        List<String> inFiles = inFiles(cluster.services.root(), searched);
        Files.delete(canaryFile);
        List<String> inTopics = inTopics(searched);
        assertTrue(inFiles.stream().anyMatch(f -> f.startsWith("canary file in")), "the file search is blind");
        assertTrue(inTopics.stream().anyMatch(f -> f.startsWith("canary record in")), "the topic search is blind");
        inFiles.stream().filter(f -> !f.startsWith("canary")).forEach(found::add);
        inTopics.stream().filter(f -> !f.startsWith("canary")).forEach(found::add);
        assertTrue(found.isEmpty(), "secrets found:\n" + String.join("\n", found));
        System.out.printf("NoSecretsIT: %d secrets searched in %d answers, the files under %s and every topic%n",
                secrets.size(), answers.size(), cluster.services.root());
    }

    /** Every value of the services' configuration that is a secret, by what it is. */
    private static Map<String, String> stackSecrets(Cluster cluster) {
        Map<String, String> secrets = new LinkedHashMap<>();
        Pattern password = Pattern.compile("password=\"([^\"]+)\"");
        Map<String, String> config = new LinkedHashMap<>();
        for (String service : List.of("scheduler-service", "checkpoint-service", "trainer-service")) {
            cluster.stack.serviceConfig(service).forEach((key, value) -> config.put(service + ": " + key, value));
        }
        config.put("the tests' Kafka admin: sasl.jaas.config",
                String.valueOf(cluster.stack.kafkaAdminConfig().get("sasl.jaas.config")));
        config.forEach((key, value) -> {
            if (value == null || value.length() < 12) {
                return; // too short to search for without false alarms (the local PostgreSQL password is a word)
            }
            if (key.contains("jaas")) {
                Matcher m = password.matcher(value);
                while (m.find()) {
                    secrets.put(key + " password", m.group(1));
                }
            } else if (key.matches(".*(secret|password|token|event-key).*")) {
                secrets.putIfAbsent(key.substring(key.indexOf(": ") + 2), value);
            }
        });
        secrets.put("the admin token", cluster.services.adminToken());
        for (String expected : List.of("savepoint.event-key", "savepoint.s3.secret-key", "savepoint.service-token",
                "savepoint.runner.kafka-password")) {
            assertTrue(secrets.containsKey(expected), "the services' config has no " + expected + ": "
                    + secrets.keySet());
        }
        assertTrue(secrets.keySet().stream().filter(k -> k.endsWith("jaas.config password")).count() >= 4,
                "a Kafka password of each service and of the tests' admin: " + secrets.keySet());
        return secrets;
    }

    private HttpResponse<String> send(String method, String url, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", token.startsWith("Basic ") ? token : "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", url.endsWith("/console/login") ? "application/x-www-form-urlencoded"
                    : "application/json");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() < 500, method + " " + url + " answered " + r.statusCode() + ": " + r.body());
        StringBuilder all = new StringBuilder(method + " " + url + " -> " + r.statusCode() + "\n");
        r.headers().map().forEach((k, v) -> all.append(k).append(": ").append(v).append('\n'));
        answers.add(all.append(r.body()).toString());
        return r;
    }

    /** Every file the services and their attempts wrote: logs, attempt output, work folders. */
    private static List<String> inFiles(Path root, Map<String, String> secrets) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (Files.size(file) > 256L * 1024 * 1024) {
                    continue;
                }
                String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                secrets.forEach((what, value) -> {
                    if (text.contains(value)) {
                        found.add(what + " in " + root.relativize(file));
                    }
                });
            }
        }
        return found;
    }

    /** Every record of every topic, values and headers, from the start. */
    private static List<String> inTopics(Map<String, String> secrets) {
        List<String> found = new ArrayList<>();
        DeadLetters.readToEnd(List.of(Topics.all()), r -> {
            StringBuilder text = new StringBuilder(r.key() == null ? "" : r.key());
            text.append(r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8));
            for (Header h : r.headers()) {
                text.append(h.key()).append(new String(h.value() == null ? new byte[0] : h.value(),
                        StandardCharsets.UTF_8));
            }
            secrets.forEach((what, value) -> {
                if (text.indexOf(value) >= 0) {
                    found.add(what + " in " + r.topic() + "@" + r.partition() + ":" + r.offset());
                }
            });
        });
        return found;
    }
}
