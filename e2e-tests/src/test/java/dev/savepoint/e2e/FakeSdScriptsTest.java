package dev.savepoint.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.savepoint.stack.StackSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end test's picture of the fake sd-scripts trainer is the trainer's: the weights its states hold after N
 * steps are what {@link FakeSdScripts} recomputes, so that check can tell a state of one step count from another.
 */
class FakeSdScriptsTest {

    @Test
    void recomputedWeightsMatchWhatTheFakeTrainerWrites() throws Exception {
        Path out = CommandRuns.twinOutput("fake-sd-scripts-check-");
        String script = StackSettings.repositoryRoot().resolve(FakeSdScripts.SCRIPT).toString();
        String hash = CommandRuns.finalHashOfDirectRun(List.of(Python.any(), script, "--output_dir", out.toString(),
                "--output_name", FakeSdScripts.NAME, "--max_train_steps", "7", "--save_every_n_steps", "3",
                "--step_seconds", "0"));
        byte[] weights = FakeSdScripts.weights(FakeSdScripts.valueAfter(6));
        assertArrayEquals(weights, Files.readAllBytes(out.resolve("fake-step00000006-state/model.bin")));
        assertArrayEquals(weights, Files.readAllBytes(out.resolve("fake-step00000006.safetensors")));
        assertFalse(java.util.Arrays.equals(weights, FakeSdScripts.weights(FakeSdScripts.valueAfter(5))));
        assertEquals(HexFormat.of().formatHex(FakeSdScripts.sha256(FakeSdScripts.weights(
                FakeSdScripts.valueAfter(7)))), hash, "the final hash is the SHA-256 of the last weights file");
    }
}
