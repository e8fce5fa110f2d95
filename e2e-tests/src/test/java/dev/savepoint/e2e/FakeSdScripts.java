package dev.savepoint.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.checkpoint.StateLayout;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What examples/testing/fake_sd_scripts.py writes, recomputed here so that a test can tell a complete state from a
 * half-written one, and a step count from another: its weights are a SHA-256 chain advanced once per step from a
 * fixed start, so the weights a state holds say how many steps led to it, whatever its own counter says.
 */
final class FakeSdScripts {

    static final String SCRIPT = "examples/testing/fake_sd_scripts.py";
    static final String NAME = "fake";
    static final List<String> STATE_FILES = List.of("train_state.json", "model.bin", "optimizer.bin",
            "random_states.json");
    private static final int WEIGHTS_BYTES = 4096;

    private FakeSdScripts() {
    }

    /** The weights value after {@code steps} steps from the start. */
    static byte[] valueAfter(long steps) {
        byte[] value = sha256("fake-sd-scripts".getBytes(StandardCharsets.US_ASCII));
        byte[] suffix = "step".getBytes(StandardCharsets.US_ASCII);
        for (long i = 0; i < steps; i++) {
            byte[] next = new byte[value.length + suffix.length];
            System.arraycopy(value, 0, next, 0, value.length);
            System.arraycopy(suffix, 0, next, value.length, suffix.length);
            value = sha256(next);
        }
        return value;
    }

    /** The weights file's bytes for a value: the value's SHA-256 chain, cut at 4096 bytes. */
    static byte[] weights(byte[] value) {
        byte[] out = new byte[WEIGHTS_BYTES];
        byte[] block = value;
        for (int at = 0; at < WEIGHTS_BYTES; at += 32) {
            block = sha256(block);
            System.arraycopy(block, 0, out, at, Math.min(32, WEIGHTS_BYTES - at));
        }
        return out;
    }

    /**
     * A committed checkpoint is a whole state of the trainer at its cumulative step: every file of the folder and
     * the weights beside it, each with the content the trainer finished writing, the trainer's own counter in the
     * layout, and weights that took exactly the checkpoint's step count of steps to reach.
     */
    static void assertCompleteState(CommandRuns runs, JsonNode checkpoint) {
        String id = checkpoint.path("id").asText();
        long step = checkpoint.path("step").asLong();
        CheckpointManifest manifest = runs.manifest(checkpoint);
        StateLayout layout = manifest.layout();
        assertNotNull(layout, id + " has no state layout");
        String stem = layout.stateDir().substring(0, layout.stateDir().length() - "-state".length());
        Map<String, String> byPath = new java.util.HashMap<>();
        layout.paths().forEach((name, path) -> byPath.put(path, name));
        for (String f : STATE_FILES) {
            assertTrue(byPath.containsKey(layout.stateDir() + "/" + f), id + " lacks " + f + ": " + layout.paths());
        }
        assertTrue(byPath.containsKey(stem + ".safetensors"), id + " lacks the weights beside its folder: "
                + layout.paths());
        JsonNode state = Json.mapper().valueToTree(Json.read(runs.file(checkpoint, byPath.get(layout.stateDir()
                + "/train_state.json")), Map.class));
        assertEquals(layout.counter(), state.path("current_step").asLong(), id + ": the layout's counter");
        assertEquals(HexFormat.of().formatHex(valueAfter(step)), state.path("weights").asText(), id + " at step "
                + step + " holds weights of another step count (trainer counter " + layout.counter() + ")");
        byte[] model = runs.file(checkpoint, byPath.get(layout.stateDir() + "/model.bin"));
        assertArrayEquals(weights(valueAfter(step)), model, id + ": model.bin is not the finished file");
        byte[] optimizer = runs.file(checkpoint, byPath.get(layout.stateDir() + "/optimizer.bin"));
        assertArrayEquals(repeat(sha256(model), 64), optimizer, id + ": optimizer.bin is not the finished file");
        JsonNode random = Json.mapper().valueToTree(Json.read(runs.file(checkpoint, byPath.get(layout.stateDir()
                + "/random_states.json")), Map.class));
        assertEquals(layout.counter(), random.path("seed").asLong(), id + ": random_states.json");
        assertArrayEquals(model, runs.file(checkpoint, byPath.get(stem + ".safetensors")), id + ": the weights "
                + "beside the folder are not the finished file");
    }

    private static byte[] repeat(byte[] b, int times) {
        byte[] out = new byte[b.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(b, 0, out, i * b.length, b.length);
        }
        return out;
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
