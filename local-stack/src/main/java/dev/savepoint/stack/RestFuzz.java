package dev.savepoint.stack;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.stack.HostileValues.PathValue;
import dev.savepoint.contracts.Json;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.sessions.JqwikSession;

/**
 * For a service's property test of hostile input: walks its OpenAPI document (so a new endpoint is covered without
 * a change here) and sends every operation requests drawn from {@link HostileValues}' jqwik generators with one seed:
 * hostile path and query parameters, and for an operation with a body, hostile JSON. A request passes when it is
 * answered below 500 and a 400 is JSON whose {@code message} names what it refuses (a quoted name, a field or the
 * body). Runs inside a Quarkus test, with RestAssured pointed at the service and sending the admin token, since
 * jqwik's own engine would not start Quarkus.
 */
public final class RestFuzz {

    /**
     * Sets the seed of a run ({@code -Dfuzz.seed=...}), to repeat one that failed (outside {@code savepoint.*}, where
     * a service's config mapping refuses a property it does not know).
     */
    public static final String SEED_PROPERTY = "fuzz.seed";
    /** Sets the number of requests of a run ({@code -Dfuzz.requests=...}). */
    public static final String REQUESTS_PROPERTY = "fuzz.requests";

    /** The services' request body limit (quarkus.http.limits.max-body-size). */
    private static final int MAX_BODY = 1024 * 1024;
    /** Quarkus's limit on a request line ({@code quarkus.http.limits.max-initial-line-length}). */
    private static final int MAX_INITIAL_LINE = 4096;
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH");

    private RestFuzz() {
    }

    /** One operation of the document: its method, path template, parameters by where they go, and its body's fields. */
    public record Operation(String method, String path, List<String> pathParameters, List<String> queryParameters,
            boolean hasBody, List<String> bodyFields) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** What a run did: its seed, how many requests it sent, the operations and the problems it found. */
    public record Result(long seed, int requests, List<Operation> operations, Map<Integer, Integer> statuses,
            List<String> problems) {
    }

    /** The seed to use: the system property's when set, else a new one (printed by {@link #run}). */
    public static long seed() {
        String given = System.getProperty(SEED_PROPERTY);
        return given == null || given.isBlank() ? new Random().nextLong() : Long.parseLong(given.trim());
    }

    /**
     * Sends {@code requests} hostile requests (or the system property's number), spread evenly over every operation
     * of the service's OpenAPI document, and returns what was found.
     */
    public static Result run(long seed, int requests) {
        return run(seed, requests, op -> false);
    }

    /**
     * As {@link #run(long, int)}, where the operations {@code callsAbsentService} accepts call another service that
     * the test does not run: their 503 (that service unavailable) is the right answer, not a problem.
     */
    public static Result run(long seed, int requests, java.util.function.Predicate<Operation> callsAbsentService) {
        Result[] result = new Result[1];
        inSession(seed, () -> result[0] = runInSession(seed, requests, callsAbsentService));
        return result[0];
    }

    /** Runs {@code body} in a jqwik session (its generators refuse to run outside one), seeded with {@code seed}. */
    static void inSession(long seed, Runnable body) {
        boolean own = !JqwikSession.isActive();
        if (own) {
            JqwikSession.start(Long.toString(seed));
        }
        try {
            body.run();
        } finally {
            if (own) {
                JqwikSession.finish();
            }
        }
    }

    private static Result runInSession(long seed, int requests,
            java.util.function.Predicate<Operation> callsAbsentService) {
        int count = Integer.getInteger(REQUESTS_PROPERTY, requests);
        System.out.printf("RestFuzz: seed %d, %d requests (repeat with -D%s=%d)%n", seed, count, SEED_PROPERTY,
                seed);
        long start = System.nanoTime();
        List<Operation> operations = operations();
        Random random = new Random(seed);
        RandomGenerator<PathValue> pathValues = HostileValues.pathValues().generator(1000, true);
        RandomGenerator<String> queryValues = HostileValues.queryValues().generator(1000, true);
        List<String> problems = new ArrayList<>();
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        Map<Operation, RandomGenerator<String>> bodies = new java.util.HashMap<>();
        for (int i = 0; i < count; i++) {
            Operation op = operations.get(i % operations.size());
            Map<String, PathValue> path = new LinkedHashMap<>();
            op.pathParameters().forEach(p -> path.put(p, random.nextInt(4) == 0 ? PathValue.harmless(p)
                    : pathValues.next(random).value()));
            Map<String, String> query = new LinkedHashMap<>();
            op.queryParameters().forEach(q -> {
                if (random.nextBoolean()) {
                    query.put(q, queryValues.next(random).value());
                }
            });
            String body = op.hasBody() ? bodies.computeIfAbsent(op, o -> HostileValues.jsonBodies(o.bodyFields())
                    .generator(1000, true)).next(random).value() : null;
            String problem = send(op, path, query, body, statuses, callsAbsentService.test(op));
            if (problem != null && problems.size() < 20) {
                problems.add("request " + i + " (seed " + seed + "): " + problem);
            }
        }
        System.out.printf("RestFuzz: %d requests over %d operations in %.1f s, statuses %s, %d problems%n", count,
                operations.size(), (System.nanoTime() - start) / 1e9, statuses, problems.size());
        return new Result(seed, count, operations, statuses, problems);
    }

    private static String send(Operation op, Map<String, PathValue> path, Map<String, String> query, String body,
            Map<Integer, Integer> statuses, boolean mayBeUnavailable) {
        String url = op.path();
        for (var p : path.entrySet()) {
            url = url.replace("{" + p.getKey() + "}", p.getValue().encoded());
        }
        StringBuilder queryString = new StringBuilder();
        query.forEach((name, value) -> queryString.append(queryString.length() == 0 ? '?' : '&').append(name)
                .append('=').append(PathValue.percentEncode(value)));
        String request = op + " as " + url + queryString
                + (body == null ? "" : " with a body of " + body.length() + " chars: " + abbreviate(body));
        Response response;
        try {
            var spec = given().urlEncodingEnabled(false);
            if (body != null) {
                spec = spec.contentType("application/json").body(body.getBytes(StandardCharsets.UTF_8));
            }
            response = spec.request(op.method(), url + queryString);
        } catch (Exception e) { // RestAssured throws I/O exceptions unchecked
            if (body != null && body.length() > MAX_BODY && e instanceof java.net.SocketException) {
                // the server refused the over-limit body (413) and closed the connection while it was still sent
                statuses.merge(413, 1, Integer::sum);
                return null;
            }
            if ((url + queryString).length() > MAX_INITIAL_LINE && e instanceof java.net.SocketException) {
                // the same for a request line over the server's limit (414), refused before it was all sent
                statuses.merge(414, 1, Integer::sum);
                return null;
            }
            return request + ": the request failed: " + e;
        }
        int status = response.statusCode();
        statuses.merge(status, 1, Integer::sum);
        if (status == 503 && mayBeUnavailable) {
            return null;
        }
        if (status >= 500) {
            return request + ": answered " + status + " " + abbreviate(response.asString());
        }
        if (status == 401 || status == 403) {
            return request + ": answered " + status + " to the admin token";
        }
        if (status == 400) {
            String message;
            try {
                message = Json.mapper().readTree(response.asByteArray()).path("message").asText("");
            } catch (java.io.IOException | RuntimeException e) {
                message = "";
            }
            if (!namesWhatItRefuses(message, op)) {
                return request + ": a 400 that names no parameter or field: " + abbreviate(response.asString());
            }
        }
        return null;
    }

    /** A refusal names a quoted name, one of the operation's parameters or body fields, a field or the body. */
    static boolean namesWhatItRefuses(String message, Operation op) {
        if (message.isBlank()) {
            return false;
        }
        List<String> names = new ArrayList<>(op.pathParameters());
        names.addAll(op.queryParameters());
        names.addAll(op.bodyFields());
        return message.matches("(?s).*('[^']+'|\\bfield\\b|\\bbody\\b).*")
                || names.stream().anyMatch(n -> message.matches("(?s)(.*\\W)?" + java.util.regex.Pattern.quote(n)
                        + "\\b.*"));
    }

    /** Every operation of the service's OpenAPI document (read with RestAssured's base URI). */
    public static List<Operation> operations() {
        JsonNode doc;
        try {
            doc = Json.mapper().readTree(given().auth().none().accept("application/json").get("/q/openapi?format=json")
                    .then().statusCode(200).extract().asByteArray());
        } catch (java.io.IOException e) {
            throw new StackException("unreadable OpenAPI document: " + e.getMessage(), e);
        }
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext();) {
            var path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields(); methods.hasNext();) {
                var method = methods.next();
                String name = method.getKey().toUpperCase(Locale.ROOT);
                if (!METHODS.contains(name) || streams(method.getValue())) {
                    continue;
                }
                List<String> inPath = new ArrayList<>();
                List<String> inQuery = new ArrayList<>();
                List<JsonNode> parameters = new ArrayList<>();
                path.getValue().path("parameters").forEach(parameters::add);
                method.getValue().path("parameters").forEach(parameters::add);
                for (JsonNode p : parameters) {
                    String where = p.path("in").asText();
                    (where.equals("path") ? inPath : where.equals("query") ? inQuery : new ArrayList<String>())
                            .add(p.path("name").asText());
                }
                java.util.regex.Matcher template = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(path.getKey());
                while (template.find()) {
                    if (!inPath.contains(template.group(1))) {
                        inPath.add(template.group(1));
                    }
                }
                JsonNode body = method.getValue().path("requestBody");
                operations.add(new Operation(name, path.getKey(), inPath, inQuery, !body.isMissingNode(),
                        List.copyOf(fieldsOf(doc, body))));
            }
        }
        if (operations.isEmpty()) {
            throw new StackException("the OpenAPI document lists no operation");
        }
        return operations;
    }

    /** A stream of server-sent events has no end for a request to wait for; such operations are tested on their own. */
    private static boolean streams(JsonNode operation) {
        boolean[] found = {false};
        operation.path("responses").forEach(r -> r.path("content").fieldNames().forEachRemaining(
                type -> found[0] |= type.startsWith("text/event-stream")));
        return found[0];
    }

    /** The property names of a request body's schema (its first media type, a $ref resolved), for wrong values. */
    private static Set<String> fieldsOf(JsonNode doc, JsonNode body) {
        Set<String> fields = new TreeSet<>();
        body.path("content").forEach(media -> {
            JsonNode schema = media.path("schema");
            String ref = schema.path("$ref").asText("");
            if (ref.startsWith("#/components/schemas/")) {
                schema = doc.path("components").path("schemas").path(ref.substring("#/components/schemas/".length()));
            }
            schema.path("properties").fieldNames().forEachRemaining(fields::add);
        });
        return fields;
    }

    private static String abbreviate(String text) {
        String printable = dev.savepoint.contracts.Ids.printable(text);
        return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
    }
}
