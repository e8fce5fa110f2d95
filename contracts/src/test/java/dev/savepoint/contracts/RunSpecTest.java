package dev.savepoint.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.contracts.spec.SpecValidator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RunSpecTest {

    @Test
    void demoSpecOfTheTrainerIssueParsesWithDefaults() {
        RunSpec spec = SpecFixtures.demo();
        assertEquals("demo-mlp", spec.name());
        assertEquals(0.1, spec.model().dropout());
        assertEquals(100, spec.checkpoint().everySteps());
        assertEquals(5, spec.restart().maxRestarts());
        assertEquals(1, spec.runtime().intraOpThreads());
        assertEquals(spec, Json.spec(Json.write(spec)));
    }

    static Stream<Arguments> invalidSpecs() {
        return Stream.of(
                Arguments.of("/model/type", "\"rnn\"", "model.type"),
                Arguments.of("/optimizer/lr", "-0.1", "optimizer.lr"),
                Arguments.of("/batchSize", "0", "batchSize"),
                Arguments.of("/maxSteps", "-5", "maxSteps"),
                Arguments.of("/model/dropout", "1.5", "model.dropout"),
                Arguments.of("/schedule/type", "\"linear-ish\"", "schedule.type"),
                Arguments.of("/retention/keepLast", "0", "retention.keepLast"),
                Arguments.of("/data/type", "\"parquet\"", "data.type"));
    }

    @ParameterizedTest
    @MethodSource("invalidSpecs")
    void invalidFieldIsRefusedNamingTheField(String pointer, String value, String field) throws Exception {
        ObjectNode json = (ObjectNode) Json.mapper().readTree(SpecFixtures.DEMO_JSON);
        String parent = pointer.substring(0, pointer.lastIndexOf('/'));
        ObjectNode node = parent.isEmpty() ? json : (ObjectNode) json.at(parent);
        node.set(pointer.substring(pointer.lastIndexOf('/') + 1), Json.mapper().readTree(value));
        var e = assertThrows(IllegalArgumentException.class, () -> Json.spec(Json.write(json)));
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("requiredFields")
    void missingRequiredFieldIsRefusedNamingTheField(String parent, String field, String expected) throws Exception {
        ObjectNode json = (ObjectNode) Json.mapper().readTree(SpecFixtures.DEMO_JSON);
        ((ObjectNode) (parent.isEmpty() ? json : json.at(parent))).remove(field);
        var e = assertThrows(IllegalArgumentException.class, () -> Json.spec(Json.write(json)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    static Stream<Arguments> requiredFields() {
        return Stream.of(Arguments.of("", "model", "model"), Arguments.of("", "seed", "seed"),
                Arguments.of("/model", "inputs", "model.inputs"), Arguments.of("/optimizer", "lr", "optimizer.lr"));
    }

    @Test
    void everyProblemIsListed() {
        String json = SpecFixtures.DEMO_JSON.replace("\"batchSize\": 64", "\"batchSize\": 0")
                .replace("\"lr\": 0.001", "\"lr\": -1");
        var problems = SpecValidator.problems(Json.read(json, RunSpec.class));
        assertEquals(2, problems.size(), problems.toString());
    }

    @Test
    void determinismDefaultsToBestEffortAndRefusesOtherValuesNamingTheField() {
        assertEquals("best-effort", Json.read(SpecFixtures.DEMO_JSON, RunSpec.class).determinism());
        String strict = SpecFixtures.DEMO_JSON.replaceFirst("\\{", "{\"determinism\": \"strict\", ");
        assertEquals(List.of(), SpecValidator.problems(Json.read(strict, RunSpec.class)));
        String exact = SpecFixtures.DEMO_JSON.replaceFirst("\\{", "{\"determinism\": \"exact\", ");
        assertEquals(List.of("determinism must be one of [strict, best-effort], got 'exact'"),
                SpecValidator.problems(Json.read(exact, RunSpec.class)));
    }

    @Test
    void aSubmittedSpecOverTheSpecLimitOrOfJsonNullIsRefusedNamingTheRequestBody() {
        String padded = SpecFixtures.DEMO_JSON.replaceFirst("\\{", "{" + " ".repeat(Json.MAX_SPEC_BYTES) + "\n");
        var tooLarge = assertThrows(Json.InvalidJsonException.class,
                () -> Json.submittedSpec(padded.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertTrue(tooLarge.getMessage().startsWith("request body has "), tooLarge.getMessage());
        var isNull = assertThrows(Json.InvalidJsonException.class,
                () -> Json.submittedSpec("null".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals("request body is not a run spec (a JSON object): it is null", isNull.getMessage());
        assertEquals("demo-mlp", Json.submittedSpec(SpecFixtures.DEMO_JSON.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)).name());
    }
}
