package dev.savepoint.stack;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.contracts.Json;
import dev.savepoint.security.Role;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * For a service's access test: walks its OpenAPI document and checks that every operation refuses a caller without a
 * token (401) and a caller whose role is not among the ones the table allows (403), and that the table names exactly
 * the operations the document has (an endpoint added without a row fails the test). Runs inside a Quarkus test, with
 * RestAssured pointed at the service.
 */
public final class AccessWalk {

    private AccessWalk() {
    }

    /**
     * @param table      "METHOD /path/{param}" to the roles allowed (admin is allowed everywhere and never listed)
     * @param pathValues a harmless value for each path parameter name
     * @return the problems found, empty when every operation is guarded as the table says
     */
    public static List<String> problems(Map<String, Set<Role>> table, Map<String, String> pathValues) {
        JsonNode doc;
        try {
            doc = Json.mapper().readTree(given().auth().none().accept("application/json").get("/q/openapi?format=json")
                    .then().statusCode(200).extract().asByteArray());
        } catch (java.io.IOException e) {
            throw new StackException("unreadable OpenAPI document: " + e.getMessage(), e);
        }
        List<String> problems = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext();) {
            var path = paths.next();
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext();) {
                String method = methods.next().toUpperCase(java.util.Locale.ROOT);
                if (!Set.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) {
                    continue;
                }
                String operation = method + " " + path.getKey();
                seen.add(operation);
                Set<Role> allowed = table.get(operation);
                if (allowed == null) {
                    problems.add(operation + ": not in the access table");
                    continue;
                }
                String url = concrete(path.getKey(), pathValues);
                int anonymous = given().auth().none().contentType("application/json").body("{}")
                        .request(method, url).statusCode();
                if (anonymous != 401) {
                    problems.add(operation + ": without a token answered " + anonymous + ", expected 401");
                }
                for (Role role : Role.values()) {
                    if (role == Role.ADMIN || allowed.contains(role)) {
                        continue;
                    }
                    int status = given().auth().oauth2(TestStack.token(role)).contentType("application/json")
                            .body("{}").request(method, url).statusCode();
                    if (status != 403) {
                        problems.add(operation + ": a " + role.id() + " token answered " + status + ", expected 403");
                    }
                }
            }
        }
        Set<String> extra = new LinkedHashSet<>(table.keySet());
        extra.removeAll(seen);
        extra.forEach(op -> problems.add(op + ": in the access table but not in the OpenAPI document"));
        return problems;
    }

    private static String concrete(String template, Map<String, String> values) {
        String url = template;
        for (var e : values.entrySet()) {
            url = url.replace("{" + e.getKey() + "}", e.getValue());
        }
        if (url.contains("{")) {
            throw new StackException("no value for a path parameter of " + template);
        }
        return url;
    }
}
