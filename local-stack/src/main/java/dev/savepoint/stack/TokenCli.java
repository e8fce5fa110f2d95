package dev.savepoint.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.contracts.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./savepoint token create|list|revoke}: API tokens through scheduler-service's admin API, authenticated with
 * the admin token {@code ./savepoint up} stored in {@code .savepoint/token}.
 */
final class TokenCli {

    static final String USAGE = """
            usage: ./savepoint token create --role viewer|operator|admin|trainer [--name N] [--ttl 30d|12h|90m]
                   ./savepoint token list
                   ./savepoint token revoke ID""";

    private TokenCli() {
    }

    static int run(List<String> args, Services services, PrintStream out, PrintStream err) {
        String api = services.service("scheduler-service").url() + "/api/tokens";
        String admin = services.adminToken();
        if (args.size() == 1 && args.get(0).equals("list")) {
            JsonNode tokens = call(HttpRequest.newBuilder(URI.create(api)).GET(), admin, 200);
            out.printf("%-12s  %-8s  %-20s  %-20s  %-20s  %s%n", "ID", "ROLE", "CREATED", "EXPIRES", "LAST USED",
                    "NAME");
            for (JsonNode t : tokens) {
                String state = t.hasNonNull("revokedAt") ? " (revoked)" : "";
                out.printf("%-12s  %-8s  %-20s  %-20s  %-20s  %s%s%n", t.path("id").asText(),
                        t.path("role").asText(), shortTime(t.path("createdAt")), shortTime(t.path("expiresAt")),
                        shortTime(t.path("lastUsedAt")), t.path("name").asText(), state);
            }
            return 0;
        }
        if (args.size() == 2 && args.get(0).equals("revoke")) {
            call(HttpRequest.newBuilder(URI.create(api + "/" + args.get(1))).DELETE(), admin, 204);
            out.println("revoked " + args.get(1) + " (services stop accepting it within a few seconds)");
            return 0;
        }
        if (!args.isEmpty() && args.get(0).equals("create") && args.size() % 2 == 1) {
            Map<String, String> body = new LinkedHashMap<>();
            for (int i = 1; i < args.size(); i += 2) {
                String key = switch (args.get(i)) {
                    case "--role" -> "role";
                    case "--name" -> "name";
                    case "--ttl" -> "ttl";
                    default -> null;
                };
                if (key == null) {
                    err.println("savepoint: unknown option '" + args.get(i) + "'\n\n" + USAGE);
                    return 2;
                }
                body.put(key, args.get(i + 1));
            }
            if (!body.containsKey("role")) {
                err.println("savepoint: --role is required\n\n" + USAGE);
                return 2;
            }
            JsonNode created = call(HttpRequest.newBuilder(URI.create(api)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(body))), admin, 201);
            out.printf("Created %s token %s (%s)%s. It is shown this once:%n%s%n", created.path("role").asText(),
                    created.path("id").asText(), created.path("name").asText(),
                    created.hasNonNull("expiresAt") ? ", expires " + created.path("expiresAt").asText() : "",
                    created.path("token").asText());
            return 0;
        }
        err.println(USAGE);
        return 2;
    }

    private static String shortTime(JsonNode time) {
        return time.isNull() || time.isMissingNode() ? "-" : time.asText().replaceFirst("\\.[0-9]+Z$", "Z");
    }

    private static JsonNode call(HttpRequest.Builder request, String token, int expected) {
        try {
            HttpResponse<byte[]> r = HttpClient.newHttpClient().send(request.timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != expected) {
                throw new StackException("scheduler-service answered " + r.statusCode() + ": "
                        + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
            }
            return r.body().length == 0 ? Json.mapper().nullNode() : Json.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new StackException("cannot reach scheduler-service (is ./savepoint up running?): "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }
}
