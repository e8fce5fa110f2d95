package dev.savepoint.trainer.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a state folder is complete, on a clock the test drives: settled (or marked) and its stepFrom file readable; a
 * folder the trainer was still writing at its death never is; the same name written again with new content is new.
 */
class StateWatcherTest {

    @TempDir
    Path output;

    private long now;
    private StateWatcher watcher;

    @BeforeEach
    void watcher() {
        watcher = watcher(null);
    }

    private StateWatcher watcher(String marker) {
        return new StateWatcher(output, new StateNames("*-state", "{stem}.safetensors"),
                new StateReader("train_state.json:current_step"), marker, 2000, () -> now);
    }

    @Test
    void aStateIsCompleteOnceNothingChangedForTheSettleTime() throws IOException {
        writeState("demo-step00000010", 10, 1);
        assertEquals(List.of(), watcher.poll(), "just written");
        tick(1999);
        assertEquals(List.of(), watcher.poll());
        tick(1);
        List<StateWatcher.Ready> ready = watcher.poll();
        assertEquals(1, ready.size());
        assertEquals("demo-step00000010-state", ready.get(0).folder());
        assertEquals(10, ready.get(0).facts().counter());
        assertEquals(List.of("demo-step00000010-state/model.bin", "demo-step00000010-state/train_state.json",
                "demo-step00000010.safetensors"), ready.get(0).files().stream().map(StateWatcher.FileStat::path)
                .toList(), "with the weights beside it");
        watcher.taken(ready.get(0));
        tick(5000);
        assertEquals(List.of(), watcher.poll(), "offered once");
    }

    @Test
    void aChangeStartsTheSettleTimeAgain() throws IOException {
        writeState("demo-step00000010", 10, 1);
        watcher.poll();
        tick(1500);
        Files.writeString(output.resolve("demo-step00000010-state/model.bin"), "more",
                java.nio.file.StandardOpenOption.APPEND);
        touch(output.resolve("demo-step00000010-state/model.bin"), 2);
        assertEquals(List.of(), watcher.poll());
        tick(1999);
        assertEquals(List.of(), watcher.poll());
        tick(1);
        assertEquals(1, watcher.poll().size());
    }

    @Test
    void withoutAReadableStepFileAStateIsNotComplete() throws IOException {
        writeState("demo-step00000010", 10, 1);
        Files.writeString(output.resolve("demo-step00000010-state/train_state.json"), "{\"current_st");
        watcher.poll();
        tick(10_000);
        assertEquals(List.of(), watcher.poll());
    }

    @Test
    void aStateUnsettledAtTheTrainersDeathIsNeverComplete() throws IOException {
        writeState("demo-step00000010", 10, 1);
        watcher.poll();
        tick(3000);
        writeState("demo-step00000020", 20, 2); // being written when the trainer died
        watcher.poll();
        long death = now;
        tick(60_000);
        List<StateWatcher.Ready> ready = watcher.afterExit(false, death);
        assertEquals(List.of("demo-step00000010-state"), ready.stream().map(StateWatcher.Ready::folder).toList());
    }

    @Test
    void afterACleanExitEveryReadableStateIsComplete() throws IOException {
        writeState("demo-step00000010", 10, 1);
        watcher.poll();
        assertEquals(1, watcher.afterExit(true, now).size());
    }

    @Test
    void aMarkerMakesAStateCompleteAtOnce() throws IOException {
        StateWatcher marked = watcher("DONE");
        writeState("demo-step00000010", 10, 1);
        assertEquals(List.of(), marked.poll());
        Files.writeString(output.resolve("demo-step00000010-state/DONE"), "");
        assertEquals(1, marked.poll().size());
    }

    @Test
    void theSameNameWrittenAgainWithOtherContentIsANewState() throws IOException {
        writeState("demo-step00000010", 10, 1);
        watcher.poll();
        tick(2000);
        watcher.taken(watcher.poll().get(0));
        writeState("demo-step00000010", 10, 3); // sd-scripts after a reset writes the same name again
        watcher.poll();
        tick(2000);
        assertEquals(1, watcher.poll().size());
    }

    private void tick(long millis) {
        now += TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** A state folder and its weights; {@code version} sets the files' mtime so that a rewrite always shows. */
    private void writeState(String stem, long step, int version) throws IOException {
        Path folder = Files.createDirectories(output.resolve(stem + "-state"));
        Files.writeString(folder.resolve("train_state.json"), "{\"current_step\": " + step + "}");
        Files.writeString(folder.resolve("model.bin"), "weights v" + version);
        Files.writeString(output.resolve(stem + ".safetensors"), "beside v" + version);
        for (Path p : List.of(folder.resolve("train_state.json"), folder.resolve("model.bin"),
                output.resolve(stem + ".safetensors"))) {
            touch(p, version);
        }
    }

    private static void touch(Path p, int version) throws IOException {
        Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(version)));
    }

    @Test
    void aFolderWithAFileTheTrainerHoldsOpenIsNotCompleteHoweverLongItIsUnchanged() throws IOException {
        writeState("demo-step00000010", 10, 1);
        Path half = output.resolve("demo-step00000010-state/model.bin").toAbsolutePath().normalize();
        Set<Path> open = new HashSet<>(Set.of(half));
        StateWatcher watching = new StateWatcher(output, new StateNames("*-state", "{stem}.safetensors"),
                new StateReader("train_state.json:current_step"), null, 2000, () -> now, () -> Set.copyOf(open));
        watching.poll();
        tick(60_000);
        assertEquals(List.of(), watching.poll(), "stalled in its save with model.bin open");
        open.clear(); // the save goes on and closes the file
        assertEquals(List.of(), watching.poll(), "closed just now: the settle time starts");
        tick(2000);
        assertEquals(1, watching.poll().size(), "closed and unchanged for the settle time");
    }

    @Test
    void theOpenFilesOfAProcessGroupAreReadFromProc() throws IOException {
        Path file = output.resolve("held.bin").toAbsolutePath().normalize();
        String stat = Files.readString(Path.of("/proc/self/stat"));
        long pgid = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
        OpenFiles ours = OpenFiles.ofProcessGroup(pgid);
        try (var out = Files.newOutputStream(file)) {
            out.write(1);
            assertTrue(ours.open().contains(file), "this JVM holds " + file + " open");
        }
        assertFalse(ours.open().contains(file), "closed");
        assertFalse(OpenFiles.ofProcessGroup(Integer.MAX_VALUE).open().contains(file), "another group's files");
    }
}
