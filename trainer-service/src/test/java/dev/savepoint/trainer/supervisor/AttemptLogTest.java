package dev.savepoint.trainer.supervisor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttemptLogTest {

    @TempDir
    Path dir;

    /** Bytes that differ along the stream, so a gap, a repeat or a reordering shows. */
    static byte[] numbered(int n) {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return bytes;
    }

    @Test
    void aLogPastItsCapRollsOverAndKeepsOnlyTheNewestBackups() throws Exception {
        Path log = dir.resolve("run-1.log");
        byte[] output = numbered(1000);

        new AttemptLog(log, 100, 3).copy(new ByteArrayInputStream(output));

        assertEquals(100, Files.size(log), "1,000 bytes at a cap of 100: the live file is full");
        for (int i = 1; i <= 3; i++) {
            assertEquals(100, Files.size(dir.resolve("run-1.log." + i)));
        }
        assertFalse(Files.exists(dir.resolve("run-1.log.4")), "older output than 3 backups is dropped");
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        for (int i = 3; i >= 1; i--) {
            kept.write(Files.readAllBytes(dir.resolve("run-1.log." + i)));
        }
        kept.write(Files.readAllBytes(log));
        byte[] newest = java.util.Arrays.copyOfRange(output, 600, 1000);
        assertArrayEquals(newest, kept.toByteArray(), "backups and log hold the newest output in order");
    }

    @Test
    void aRelaunchAppendsToTheLogItLeftBelowTheCap() throws Exception {
        Path log = dir.resolve("run-2.log");
        Files.writeString(log, "first launch\n");

        new AttemptLog(log, 1024, 2).copy(new ByteArrayInputStream("second launch\n".getBytes(StandardCharsets.UTF_8)));

        assertEquals("first launch\nsecond launch\n", Files.readString(log));
        assertFalse(Files.exists(dir.resolve("run-2.log.1")));
    }

    @Test
    void theBackgroundCopyCompletesOnceTheStreamEndedAndEverythingIsWritten() throws Exception {
        Path log = dir.resolve("run-3.log");
        new AttemptLog(log, 1 << 20, 1).copyInBackground(new ByteArrayInputStream(numbered(5000)), "test-log")
                .get(1, TimeUnit.MINUTES);
        assertArrayEquals(numbered(5000), Files.readAllBytes(log));
    }

    @Test
    void theFilesOfALogAreItAndItsBackups() {
        Path log = dir.resolve("r.log");
        assertEquals(java.util.List.of(log, dir.resolve("r.log.1"), dir.resolve("r.log.2")), AttemptLog.files(log, 2));
        assertTrue(AttemptLog.files(log, 0).contains(log));
    }
}
