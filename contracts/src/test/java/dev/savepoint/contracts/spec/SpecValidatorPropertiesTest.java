package dev.savepoint.contracts.spec;

import dev.savepoint.contracts.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Assertions;

/**
 * Random and boundary values over every number, list and string of a spec: the validator and the submit path
 * never throw anything but their validation exceptions, and a spec they accept fits its memory.
 */
class SpecValidatorPropertiesTest {

    @Property(tries = 400)
    void validatorOnlyEverRefusesByName(@ForAll("specs") RunSpec spec) {
        List<String> problems = SpecValidator.problems(spec);
        if (problems.isEmpty()) {
            long memory = SpecValidator.memoryBytes(spec.runtime().memory()).orElseThrow();
            Assertions.assertTrue(SpecValidator.estimateBytes(spec) <= memory);
        } else {
            for (String problem : problems) {
                // (?s): the refused value is echoed, and a generated one may hold a line separator (U+2028)
                Assertions.assertTrue(problem.matches("(?s)[a-zA-Z.]+ must be .*"), problem);
            }
        }
    }

    @Property(tries = 300)
    void submitOnlyEverRefusesWithAnIllegalArgument(@ForAll("documents") String json) {
        try {
            Json.submittedSpec(json.getBytes(StandardCharsets.UTF_8));
        } catch (Json.InvalidJsonException | SpecValidator.InvalidSpecException e) {
            Assertions.assertFalse(e.getMessage().isBlank());
        }
    }

    private static Arbitrary<Integer> ints() {
        return someInts().injectNull(0.05);
    }

    private static Arbitrary<Integer> someInts() {
        return Arbitraries.oneOf(Arbitraries.of(Integer.MIN_VALUE, -1, 0, 1, 2, 3, 64, 65_536, 65_537,
                1_000_000_000, Integer.MAX_VALUE), Arbitraries.integers().between(-10, 5000));
    }

    private static Arbitrary<String> strings() {
        return Arbitraries.oneOf(Arbitraries.of("mlp", "cnn", "synthetic", "csv", "adamw", "sgd", "constant",
                "cosine", "2Gi", "1", "min", "max", "strict", "best-effort", "/etc/passwd", "../x", "s3://b/k",
                "a\0b", "", "é\uD83D\uDE00", "64Gi", "1e3", "-1Gi"), Arbitraries.strings().ofMaxLength(20))
                .injectNull(0.05);
    }

    @Provide
    Arbitrary<RunSpec> specs() {
        Arbitrary<List<Integer>> widths = someInts().list().ofMaxSize(5).injectNull(0.05);
        Arbitrary<Double> doubles = Arbitraries.oneOf(Arbitraries.of(-1.0, 0.0, 0.5, 0.999, 1.0, Double.NaN,
                Double.MAX_VALUE), Arbitraries.doubles().between(0, 1)).injectNull(0.05);
        Arbitrary<ModelSpec> model = Combinators.combine(strings(), ints(), widths, ints(), doubles, widths, ints())
                .as(ModelSpec::new).injectNull(0.05);
        Arbitrary<DataSpec> data = Combinators.combine(strings(), ints(), ints(), strings())
                .as((type, samples, classes, path) -> new DataSpec(type, samples, classes, 1L, path, null, null))
                .injectNull(0.05);
        Arbitrary<OptimizerSpec> optimizer = Combinators.combine(strings(), doubles, doubles)
                .as((type, lr, momentum) -> new OptimizerSpec(type, lr, null, null, null, null, momentum))
                .injectNull(0.05);
        Arbitrary<RuntimeSpec> runtime = Combinators.combine(ints(), ints(), strings())
                .as((threads, heartbeat, memory) -> new RuntimeSpec(threads, heartbeat, null, memory))
                .injectNull(0.2);
        Arbitrary<CheckpointSpec> checkpoint = Combinators.combine(ints(), ints()).as(CheckpointSpec::new)
                .injectNull(0.2);
        return Combinators.combine(strings(), ints(), ints(), model, data, optimizer, checkpoint, runtime)
                .as((name, steps, batch, m, d, o, c, r) -> new RunSpec(name, 1L, steps, batch, m, d, o, null, c,
                        null, null, r));
    }

    @Provide
    Arbitrary<String> documents() {
        String demo = SpecLimitsTest.DEMO;
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of("null", "1.5", "-1", "2147483648",
                "1e400", "\"x\"", "[]", "{}", "[null]", "true", "\"\\u0000\""), ints().map(String::valueOf));
        Arbitrary<String> field = Arbitraries.of("\"maxSteps\": 2000", "\"batchSize\": 64", "\"inputs\": 32",
                "[256, 256]", "\"samples\": 8192", "\"lr\": 0.001", "\"classes\": 10", "\"seed\": 42");
        Arbitrary<String> mutated = Combinators.combine(field, value).as((f, v) -> f.startsWith("[")
                ? demo.replace(f, v) : demo.replace(f, f.substring(0, f.indexOf(':') + 1) + " " + v));
        return Arbitraries.oneOf(mutated, Arbitraries.strings().ofMaxLength(40),
                Arbitraries.of("", "null", "[]", "{}", "\"spec\"", demo.substring(0, 40)));
    }
}
