package dev.savepoint.contracts.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Json;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The transformer model spec and the text data source: refusals name the field, sizes cost what they should. */
class TransformerSpecTest {

    static final String MODEL = "{\"type\": \"transformer\", \"layers\": 2, \"dModel\": 32, \"heads\": 4, \"seqLen\": 32, "
            + "\"vocab\": 256}";
    static final String TEXT = "{\"type\": \"text\", \"path\": \"/usr/share/games/fortunes\", \"seed\": 7}";
    static final String SPEC = """
            {"name": "tiny-lm", "seed": 1, "maxSteps": 100, "batchSize": 8, "model": %s, "data": %s,
             "optimizer": {"type": "adamw", "lr": 0.001}%s}
            """;

    private static RunSpec submit(String model, String data, String extra) {
        return Json.submittedSpec(SPEC.formatted(model, data, extra).getBytes(StandardCharsets.UTF_8));
    }

    private static String refusal(String model, String data, String extra) {
        return assertThrows(IllegalArgumentException.class, () -> submit(model, data, extra)).getMessage();
    }

    @Test
    void aTransformerOnTheFortunesFolderIsAcceptedWithByteVocabByDefault() {
        RunSpec spec = submit(MODEL.replace(", \"vocab\": 256", ""), TEXT, "");
        assertEquals(256, spec.model().vocab());
        assertTrue(spec.model().isTransformer());
        assertEquals(spec, Json.spec(Json.write(spec)));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(MODEL.replace("\"heads\": 4", "\"heads\": 5"), TEXT, "model.heads"),
                Arguments.of(MODEL.replace("\"layers\": 2", "\"layers\": 0"), TEXT, "model.layers"),
                Arguments.of(MODEL.replace("\"layers\": 2, ", ""), TEXT, "model.layers"),
                Arguments.of(MODEL.replace("\"dModel\": 32", "\"dModel\": 100000"), TEXT, "model.dModel"),
                Arguments.of(MODEL.replace("\"seqLen\": 32", "\"seqLen\": 0"), TEXT, "model.seqLen"),
                Arguments.of(MODEL.replace("\"vocab\": 256", "\"vocab\": 100"), TEXT, "model.vocab"),
                Arguments.of(MODEL.replace("\"vocab\": 256", "\"vocab\": 256, \"inputs\": 4"), TEXT, "model.inputs"),
                Arguments.of(MODEL.replace("\"vocab\": 256", "\"vocab\": 256, \"dropout\": 0.1"), TEXT, "model.dropout"),
                Arguments.of(MODEL.replace("\"vocab\": 256", "\"vocab\": 256, \"depth\": 3"), TEXT, "depth"),
                Arguments.of(MODEL, TEXT.replace("text", "synthetic"), "data.type"),
                Arguments.of(MODEL, TEXT.replace("/usr/share/games/fortunes", "/etc/passwd"), "data.path"),
                Arguments.of(MODEL, TEXT.replace("/usr/share/games/fortunes", "/usr/share/games/fortunes/../../../etc"),
                        "data.path"),
                Arguments.of(MODEL, "{\"type\": \"text\"}", "data.path"),
                Arguments.of("{\"type\": \"mlp\", \"inputs\": 4, \"outputs\": 2, \"layers\": 3}",
                        "{\"type\": \"synthetic\", \"samples\": 10, \"classes\": 2}", "model.layers"),
                Arguments.of("{\"type\": \"mlp\", \"inputs\": 4, \"outputs\": 2}", TEXT, "data.type"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("refusals")
    void aWrongTransformerOrTextFieldIsRefusedNamingIt(String model, String data, String field) {
        String message = refusal(model, data, "");
        assertTrue(message.contains(field), "'" + field + "' named in: " + message);
    }

    @Test
    void textOutsideTheDataRootsAndFortunesIsRefusedButS3IsAllowed() {
        submit(MODEL, TEXT.replace("/usr/share/games/fortunes", "s3://corpora/fortunes.txt"), "");
        submit(MODEL, TEXT.replace("/usr/share/games/fortunes", "/usr/share/games/fortunes/linux"), "");
        assertTrue(refusal(MODEL, TEXT.replace("/usr/share/games/fortunes", "/usr/share/games"), "")
                .contains("data.path"));
    }

    @Test
    void parameterCountFollowsTheFormula() {
        ModelSpec tiny = ModelSpec.transformer(2, 32, 4, 32);
        // embeddings 256x32 + 32x32, per block 12x32^2 + 13x32, final LayerNorm 2x32, head 256x32
        assertEquals(256 * 32 + 32 * 32 + 2 * (12 * 32 * 32 + 13 * 32) + 2 * 32 + 256 * 32, tiny.transformerParameters());
        long large = ModelSpec.transformer(24, 1024, 16, 128).transformerParameters();
        assertTrue(large > 300_000_000L && large < 310_000_000L, "24 x 1024 is the 300M size: " + large);
    }

    @Test
    void aTransformerThatDoesNotFitRuntimeMemoryIsRefusedWithTheEstimate() {
        String large = MODEL.replace("\"layers\": 2", "\"layers\": 24").replace("\"dModel\": 32", "\"dModel\": 1024")
                .replace("\"heads\": 4", "\"heads\": 16").replace("\"seqLen\": 32", "\"seqLen\": 128");
        String message = refusal(large, TEXT, "");
        assertTrue(message.contains("runtime.memory must hold the estimated"), message);
        RunSpec fits = submit(large, TEXT, ", \"runtime\": {\"memory\": \"12Gi\"}");
        long params = fits.model().transformerParameters();
        long estimate = SpecValidator.estimateBytes(fits);
        // weights, gradients, two AdamW moments, and the host snapshot of weights and moments
        assertTrue(estimate > params * 7 * 4 && estimate < 12L << 30, "estimate " + estimate);
    }
}
