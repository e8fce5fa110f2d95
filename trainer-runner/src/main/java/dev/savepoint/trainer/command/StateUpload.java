package dev.savepoint.trainer.command;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.contracts.checkpoint.StateLayout;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.trainer.runner.CheckpointFiles;
import dev.savepoint.trainer.runner.CheckpointStorage;
import dev.savepoint.trainer.runner.EventSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Uploads one complete state as one checkpoint at its cumulative step: every file is first copied into a spool folder
 * and hashed on the way (so the bytes uploaded are the bytes hashed even if the trainer rewrites the folder), then
 * uploaded, the manifest with the {@link StateLayout} last, then {@code CheckpointWritten}. A copy that raced with the
 * trainer (the folder changed meanwhile) is abandoned and the state is offered again once it settles.
 */
public final class StateUpload {

    private final String runId;
    private final int attempt;
    private final CheckpointStorage storage;
    private final EventSink events;
    private final Path output;
    private final Path spoolRoot;

    public StateUpload(String runId, int attempt, CheckpointStorage storage, EventSink events, Path output,
            Path spoolRoot) {
        this.runId = runId;
        this.attempt = attempt;
        this.storage = storage;
        this.events = events;
        this.output = output;
        this.spoolRoot = spoolRoot;
    }

    /** Thrown when the folder changed while it was copied: not an error, the state is simply not complete yet. */
    public static final class ChangedWhileCopied extends IOException {
        ChangedWhileCopied(String folder) {
            super("state " + folder + " changed while it was copied; it is uploaded once it settles again");
        }
    }

    /**
     * Uploads {@code state} as the checkpoint at {@code step}; {@code lookAfterCopy} is the folder's look once copied,
     * which must still be the state's. Returns the manifest written.
     */
    public CheckpointManifest upload(StateWatcher.Ready state, long step,
            Supplier<List<StateWatcher.FileStat>> lookAfterCopy)
            throws IOException {
        String id = CheckpointManifest.checkpointId(runId, step, attempt);
        String prefix = CheckpointManifest.prefix(runId, step, attempt);
        Path spool = Files.createDirectories(spoolRoot).resolve(String.format("%010d", step));
        deleteRecursively(spool);
        Files.createDirectories(spool);
        try {
            Map<String, String> paths = new LinkedHashMap<>();
            List<ManifestFile> files = new ArrayList<>();
            Set<String> used = new HashSet<>(Set.of(CheckpointManifest.FILE_NAME));
            for (StateWatcher.FileStat f : state.files()) {
                String name = flatName(f.path(), used);
                files.add(copy(output.resolve(f.path()), spool.resolve(name), name));
                paths.put(name, f.path());
            }
            if (!lookAfterCopy.get().equals(state.files())) {
                throw new ChangedWhileCopied(state.folder());
            }
            for (ManifestFile f : files) {
                storage.upload(prefix + f.name(), spool.resolve(f.name()));
            }
            var layout = new StateLayout(state.folder(), paths, state.facts().counter());
            var manifest = new CheckpointManifest(0, id, runId, attempt, step, null, files, layout);
            Path manifestFile = spool.resolve(CheckpointManifest.FILE_NAME);
            Files.write(manifestFile, Json.write(manifest));
            storage.upload(prefix + CheckpointManifest.FILE_NAME, manifestFile);
            events.send(Topics.CHECKPOINTS, CheckpointWritten.of(runId, attempt, id, step, state.facts().epoch(),
                    null, storage.bucket(), prefix, files, state.facts().metrics()));
            return manifest;
        } finally {
            deleteRecursively(spool);
        }
    }

    /** A flat, unique manifest name for a relative path: its segments joined with "__". */
    static String flatName(String path, Set<String> used) {
        String base = path.replace("/", "__");
        String name = base;
        for (int n = 2; !used.add(name); n++) {
            name = base + "~" + n;
        }
        return name;
    }

    private static ManifestFile copy(Path from, Path to, String name) throws IOException {
        MessageDigest sha = CheckpointFiles.sha256();
        long size;
        try (InputStream in = Files.newInputStream(from);
                OutputStream out = new DigestOutputStream(Files.newOutputStream(to), sha)) {
            size = in.transferTo(out);
        }
        return new ManifestFile(name, size, HexFormat.of().formatHex(sha.digest()));
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a leftover spool folder is harmless
        }
    }
}
