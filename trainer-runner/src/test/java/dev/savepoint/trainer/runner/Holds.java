package dev.savepoint.trainer.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Steps at which an attempt process stops training until the test releases it ({@link TestFaults}), so that a test
 * kills, stops S3 or inspects storage at a step it chose, on any machine, instead of at a moment it guessed.
 */
final class Holds {

    private final Path dir;

    Holds(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    /** The environment that makes an attempt hold at each of {@code steps}. */
    Map<String, String> at(long... steps) {
        return Map.of("SAVEPOINT_TEST_HOLD_DIR", dir.toString(), "SAVEPOINT_TEST_HOLD_AT_STEPS",
                Arrays.stream(steps).mapToObj(Long::toString).collect(Collectors.joining(",")));
    }

    /** Lets an attempt held at {@code step} go on. */
    void release(long step) throws IOException {
        Files.writeString(TestFaults.releaseFile(dir, step), "");
    }
}
