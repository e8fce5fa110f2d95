package dev.savepoint.checkpoint.console;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.spec.SpecValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a spec the way {@code POST /api/runs} does (contracts' {@code Json.submittedSpec}: strict reading, then
 * {@code SpecValidator}), and lists every problem by field, so the editor can show them as the user types.
 */
public final class SpecCheck {

    /** A spec to start from in the editor (the demo). */
    static final String EXAMPLE = """
            {
              "name": "demo-mlp",
              "seed": 42,
              "maxSteps": 2000,
              "batchSize": 64,
              "model": {"type": "mlp", "inputs": 32, "hidden": [256, 256], "outputs": 10, "dropout": 0.1},
              "data": {"type": "synthetic", "samples": 8192, "classes": 10, "seed": 7},
              "optimizer": {"type": "adamw", "lr": 0.001, "weightDecay": 0.01, "beta1": 0.9, "beta2": 0.999},
              "schedule": {"type": "cosine", "warmupSteps": 100, "minLr": 0.00001},
              "checkpoint": {"everySteps": 100, "everySeconds": null},
              "retention": {"keepLast": 3, "keepBest": 1, "metric": "loss", "mode": "min", "keepEverySteps": 1000},
              "restart": {"maxRestarts": 5}
            }
            """;

    private static final Pattern AT_FIELD = Pattern.compile("at field '([^']*)'");

    private SpecCheck() {
    }

    /** One problem: the field it is about ("body" when it is about the document as a whole) and what is wrong. */
    public record FieldError(String field, String message) {
    }

    /** Every problem of the spec; empty when the API would accept it. */
    public static List<FieldError> check(byte[] json) {
        try {
            Json.submittedSpec(json);
            return List.of();
        } catch (SpecValidator.InvalidSpecException e) {
            List<FieldError> out = new ArrayList<>();
            for (String problem : e.problems()) {
                int space = problem.indexOf(' ');
                out.add(new FieldError(space > 0 ? problem.substring(0, space) : "body", problem));
            }
            return out;
        } catch (Json.InvalidJsonException e) {
            Matcher m = AT_FIELD.matcher(e.getMessage());
            return List.of(new FieldError(m.find() ? m.group(1) : "body", e.getMessage()));
        }
    }
}
