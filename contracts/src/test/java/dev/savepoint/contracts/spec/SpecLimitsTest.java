package dev.savepoint.contracts.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a spec may cost and read: the reported cases refused naming the field, every legitimate spec accepted. */
class SpecLimitsTest {

    static final String DEMO = """
            {"name": "demo-mlp", "seed": 42, "maxSteps": 2000, "batchSize": 64,
             "model": {"type": "mlp", "inputs": 32, "hidden": [256, 256], "outputs": 10, "dropout": 0.1},
             "data": {"type": "synthetic", "samples": 8192, "classes": 10, "seed": 7},
             "optimizer": {"type": "adamw", "lr": 0.001}}
            """;

    private static String refusal(String json) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.submittedSpec(json.getBytes(StandardCharsets.UTF_8)), json);
        return e.getMessage();
    }

    private static void assertNames(String field, String json) {
        String message = refusal(json);
        assertTrue(message.contains(field), "'" + field + "' named in: " + message);
    }

    @Test
    void bodiesThatAreNoSpecObjectAreRefused() {
        // no field to name: the refusal names the request body
        for (String body : new String[] {"null", "", "not json", "[1, 2]", DEMO + " {}"}) {
            assertTrue(refusal(body).startsWith("request body is not a run spec"), refusal(body));
        }
        assertThrows(IllegalArgumentException.class, () -> Json.submittedSpec(null));
        assertNames("model", DEMO.replace("\"model\": {\"type\": \"mlp\", \"inputs\": 32, \"hidden\": [256, 256], "
                + "\"outputs\": 10, \"dropout\": 0.1}", "\"model\": null"));
        assertNames("maxSteps", DEMO.replace("\"maxSteps\": 2000", "\"maxSteps\": null"));
        assertNames("optimizer.lr", DEMO.replace("\"lr\": 0.001", "\"lr\": null"));
    }

    @Test
    void fractionsInIntegerFieldsAndUnknownFieldsAreRefusedOnSubmitOnly() {
        assertNames("maxSteps", DEMO.replace("\"maxSteps\": 2000", "\"maxSteps\": 1.5"));
        assertNames("batchSize", DEMO.replace("\"batchSize\": 64", "\"batchSize\": 64.0"));
        assertNames("maxStep", DEMO.replace("\"seed\": 42", "\"seed\": 42, \"maxStep\": 5"));
        String unknownNested = DEMO.replace("\"dropout\": 0.1", "\"dropout\": 0.1, \"depth\": 3");
        assertNames("depth", unknownNested);
        // events embedding a spec stay tolerant of fields a newer producer added
        assertEquals(2, Json.spec(unknownNested.getBytes(StandardCharsets.UTF_8)).model().hidden().size());
        Json.submittedSpec(DEMO.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theReportedHugeSizesAreRefusedNamingTheField() {
        assertNames("batchSize", DEMO.replace("\"batchSize\": 64", "\"batchSize\": 2147483647"));
        assertNames("model.hidden", DEMO.replace("[256, 256]", "[2147483647]"));
        assertNames("model.hidden", DEMO.replace("[256, 256]", "[" + "8, ".repeat(64) + "8]"));
        assertNames("model.inputs", DEMO.replace("\"inputs\": 32", "\"inputs\": 100000"));
        assertNames("data.samples", DEMO.replace("\"samples\": 8192", "\"samples\": 2000000000"));
        assertNames("data.classes", DEMO.replace("\"classes\": 10", "\"classes\": 100000"));
        assertNames("maxSteps", DEMO.replace("\"maxSteps\": 2000", "\"maxSteps\": 2000000000"));
        assertNames("checkpoint.everySeconds", DEMO.replace("\"seed\": 42",
                "\"seed\": 42, \"checkpoint\": {\"everySeconds\": 99999999}"));
    }

    @Test
    void aModelThatDoesNotFitRuntimeMemoryIsRefusedWithTheEstimate() {
        // each width is within its bound, together ~270 M parameters x 4 floats x 4 bytes: about 4 GiB
        String big = DEMO.replace("[256, 256]", "[65536, 4096]");
        String message = refusal(big);
        assertTrue(message.contains("runtime.memory must hold the estimated"), message);
        assertTrue(message.contains("MiB") && message.contains("'2Gi'"), message);
        String roomy = big.replace("\"seed\": 42", "\"seed\": 42, \"runtime\": {\"memory\": \"64Gi\"}");
        Json.submittedSpec(roomy.getBytes(StandardCharsets.UTF_8));
        assertNames("runtime.memory", DEMO.replace("\"seed\": 42", "\"seed\": 42, \"runtime\": {\"memory\": \"lots\"}"));
        RunSpec demo = Json.spec(DEMO.getBytes(StandardCharsets.UTF_8));
        // demo: 76,810 parameters x 4 floats + 3 x 64 x 554 activations + 8192 x 33 data floats
        assertEquals((76_810L * 4 + 3L * 64 * 554 + 8192L * 33) * 4, SpecValidator.estimateBytes(demo));
        assertEquals(2L << 30, SpecValidator.memoryBytes("2Gi").getAsLong());
        assertEquals(512_000_000L, SpecValidator.memoryBytes("512M").getAsLong());
    }

    @Test
    void csvPathsOutsideTheDataRootsAreRefusedNamingDataPath(@TempDir Path dir) throws IOException {
        String csv = DEMO.replace("{\"type\": \"synthetic\", \"samples\": 8192, \"classes\": 10, \"seed\": 7}",
                "{\"type\": \"csv\", \"path\": \"%s\"}");
        assertNames("data.path", csv.formatted("/etc/passwd"));
        assertNames("data.path", csv.formatted(dir.resolve("../../etc/passwd").toString().replace("\\", "/")));
        Path inside = Files.writeString(dir.resolve("train.csv"), "1,2,0\n");
        Json.submittedSpec(csv.formatted(inside.toString().replace("\\", "\\\\")).getBytes(StandardCharsets.UTF_8));
        Json.submittedSpec(csv.formatted("s3://bucket/train.csv").getBytes(StandardCharsets.UTF_8));
        Path link = dir.resolve("passwd.csv");
        try {
            Files.createSymbolicLink(link, Path.of("/etc/passwd"));
        } catch (UnsupportedOperationException | IOException e) {
            return; // no symlinks here: the normalized-path check above is what applies
        }
        assertNames("data.path", csv.formatted(link.toString()));
    }

    @Test
    void everyExampleSpecIsAccepted() throws IOException {
        Path examples = Path.of(System.getProperty("dev.savepoint.repo-root", ".."), "examples");
        List<Path> specs;
        try (Stream<Path> files = Files.list(examples)) {
            specs = files.filter(p -> p.toString().endsWith(".json")).toList();
        }
        assertTrue(!specs.isEmpty(), "specs found under " + examples.toAbsolutePath());
        for (Path spec : specs) {
            Json.submittedSpec(Files.readAllBytes(spec));
        }
    }
}
