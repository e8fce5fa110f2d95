package dev.savepoint.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.savepoint.contracts.spec.ModelSpec;
import dev.savepoint.contracts.spec.RunSpec;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The byte-level transformer: it learns the sample text, it cannot see the future, its size is the spec's formula. */
class TransformerTest {

    @Test
    void lossFallsWellBelowUniformGuessingOnTheSampleText() {
        RunSpec spec = TestSpecs.tinyTransformer(1);
        double uniform = Math.log(256);
        try (TrainingSession session = new TrainingSession(spec, TestSpecs.dataFor(spec))) {
            float first = session.step();
            assertEquals(uniform, first, 0.3, "an untrained model guesses every byte alike");
            double lastTen = 0;
            for (int i = 1; i < spec.maxSteps(); i++) {
                float loss = session.step();
                if (i >= spec.maxSteps() - 10) {
                    lastTen += loss / 10;
                }
            }
            assertTrue(lastTen < uniform - 2.0, "loss went from " + first + " to " + lastTen);
        }
    }

    @Test
    void parameterCountOfTheBuiltModelMatchesTheSpecFormula() {
        for (ModelSpec model : new ModelSpec[] {ModelSpec.transformer(2, 32, 4, 32), ModelSpec.transformer(3, 48, 6, 20)}) {
            RunSpec tiny = TestSpecs.tinyTransformer(1);
            RunSpec spec = new RunSpec(tiny.name(), tiny.seed(), tiny.maxSteps(), tiny.batchSize(), model, tiny.data(),
                    tiny.optimizer(), tiny.schedule(), null, null, null, tiny.runtime());
            try (TrainingSession session = new TrainingSession(spec, TestSpecs.dataFor(spec))) {
                Map<String, HostTensor> parameters = session.snapshot().parameters();
                long built = parameters.values().stream().mapToLong(HostTensor::elementCount).sum();
                assertEquals(model.transformerParameters(), built, model.toString());
                assertEquals(5 + 12 * model.layers(), parameters.size(), "2 embeddings, 12 per block, final norm 2, head");
                assertTrue(parameters.containsKey("blocks.0.attn.qkv.weight"), new TreeMap<>(parameters).keySet()::toString);
                assertArrayEquals(new long[] {3L * model.dModel(), model.dModel()},
                        parameters.get("blocks.0.attn.qkv.weight").shape(), "PyTorch nn.Linear layout (out, in)");
            }
        }
    }

    @Test
    void aPositionsLogitsDoNotDependOnLaterTokens() {
        ModelSpec model = ModelSpec.transformer(2, 32, 4, 16);
        CausalTransformer block = new CausalTransformer(model);
        try (NDManager manager = NDManager.newBaseManager()) {
            EngineSettings.seed(3);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 16));
            ParameterStore store = new ParameterStore(manager, false);
            float[] text = new float[16];
            for (int i = 0; i < text.length; i++) {
                text[i] = 'a' + i;
            }
            float[] changedEnd = text.clone();
            changedEnd[12] = 'Z';
            NDArray before = block.forward(store, new NDList(manager.create(text, new Shape(1, 16))), false)
                    .singletonOrThrow();
            NDArray after = block.forward(store, new NDList(manager.create(changedEnd, new Shape(1, 16))), false)
                    .singletonOrThrow();
            assertArrayEquals(before.get(new NDIndex(":, 0:12, :")).toFloatArray(),
                    after.get(new NDIndex(":, 0:12, :")).toFloatArray(), "positions before the change see the same");
            assertNotEquals(before.get(new NDIndex(":, 12, :")).sum().getFloat(),
                    after.get(new NDIndex(":, 12, :")).sum().getFloat(), "the changed position sees its own token");
        }
    }
}
