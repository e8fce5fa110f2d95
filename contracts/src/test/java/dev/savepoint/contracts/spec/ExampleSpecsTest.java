package dev.savepoint.contracts.spec;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The specs in examples/ are what users copy first: each must pass the same checks as a submitted run. */
class ExampleSpecsTest {

    private static Path examples() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("../examples").normalize();
    }

    static Stream<Path> exampleSpecs() throws IOException {
        try (Stream<Path> files = Files.list(examples())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("exampleSpecs")
    void everyExampleSpecPassesTheSubmittedSpecChecks(Path spec) {
        assertDoesNotThrow(() -> Json.submittedSpec(Files.readAllBytes(spec)), spec.toString());
    }

    @Test
    void theExamplesCoverTheBuiltInTrainerAndBothPythonPresets() throws IOException {
        List<String> trainers = exampleSpecs().map(ExampleSpecsTest::read)
                .map(s -> s.isCommand() ? s.trainer().preset() : s.trainer().type()).sorted().toList();
        assertEquals(List.of(TrainerSpec.DJL, TrainerSpec.DJL, TrainerSpec.HF_TRAINER, TrainerSpec.KOHYA), trainers);
    }

    @Test
    void theHuggingFaceExampleRunsTheBundledPytorchScript() {
        RunSpec spec = read(examples().resolve("hf-trainer.json"));
        assertTrue(spec.trainer().command().contains("examples/pytorch/train.py"), spec.trainer().command()::toString);
        assertTrue(Files.isRegularFile(examples().resolve("pytorch/train.py")));
    }

    private static RunSpec read(Path spec) {
        try {
            return Json.submittedSpec(Files.readAllBytes(spec));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + spec, e);
        }
    }
}
