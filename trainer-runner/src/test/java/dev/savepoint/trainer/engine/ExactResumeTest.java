package dev.savepoint.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.savepoint.contracts.spec.RunSpec;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A session rebuilt from checkpoint bytes continues exactly as the session that never stopped. */
class ExactResumeTest {

    private static final int STOP_AT = 137;
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> specs() {
        return Stream.of(
                Arguments.of("mlp + dropout + AdamW + cosine", TestSpecs.mlpAdamW(1)),
                Arguments.of("cnn + SGD momentum + step decay", TestSpecs.cnnSgd(1)),
                Arguments.of("transformer on text + AdamW + cosine", TestSpecs.tinyTransformer(1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void restoredSessionContinuesBitForBit(String label, RunSpec spec) throws Exception {
        String uninterrupted;
        TrainerState stateAtStop;
        TrainerState endUninterrupted;
        try (TrainingSession session = new TrainingSession(spec, TestSpecs.dataFor(spec))) {
            stepTo(session, STOP_AT);
            stateAtStop = session.state();
            stepTo(session, spec.maxSteps());
            uninterrupted = session.finalParamsSha256();
            endUninterrupted = session.state();
        }

        byte[] model;
        byte[] optimizer;
        byte[] stateJson;
        try (TrainingSession first = new TrainingSession(spec, TestSpecs.dataFor(spec))) {
            stepTo(first, STOP_AT);
            Snapshot snapshot = first.snapshot();
            model = SafetensorsWriter.toBytes(snapshot.parameters(), Map.of("format", "pt"));
            optimizer = SafetensorsWriter.toBytes(snapshot.optimizerState(), Map.of());
            stateJson = JSON.writeValueAsBytes(snapshot.state());
        }

        TrainerState restoredState = JSON.readValue(stateJson, TrainerState.class);
        assertEquals(stateAtStop, restoredState);
        Snapshot fromBytes = new Snapshot(SafetensorsReader.read(model).tensors(),
                SafetensorsReader.read(optimizer).tensors(), restoredState);
        try (TrainingSession resumed = new TrainingSession(spec, TestSpecs.dataFor(spec))) {
            resumed.restore(fromBytes);
            assertEquals(stateAtStop, resumed.state());
            stepTo(resumed, spec.maxSteps());
            assertEquals(uninterrupted, resumed.finalParamsSha256());
            assertEquals(endUninterrupted, resumed.state());
        }
    }

    private static void stepTo(TrainingSession session, int step) {
        while (session.globalStep() < step) {
            session.step();
        }
    }
}
