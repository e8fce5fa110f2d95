package dev.savepoint.trainer.command;

import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.trainer.runner.CheckpointCorruptException;
import dev.savepoint.trainer.runner.CheckpointLoader;
import dev.savepoint.trainer.runner.CheckpointStorage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Restores a command run's checkpoint into the work folder's {@code resume} folder: every file of the manifest back to
 * its path in the {@link dev.savepoint.contracts.checkpoint.StateLayout}, each verified against its SHA-256 while it
 * streams. A file that fails leaves nothing behind (the folder is emptied) and the loader moves to an older checkpoint.
 */
public final class StateRestore {

    /** The checkpoint is a built-in trainer's (no layout): a command cannot resume from it. */
    public static final class NotAStateException extends IOException {
        NotAStateException(String message) {
            super(message);
        }
    }

    private StateRestore() {
    }

    /** A restore that writes into {@code resumeDir} and yields the restored state's folder. */
    public static CheckpointLoader.Restore<Path> into(CheckpointStorage storage, Path resumeDir) {
        return manifest -> {
            if (manifest.layout() == null) {
                throw new NotAStateException("checkpoint " + manifest.checkpointId() + " (step " + manifest.step()
                        + ") was written by the built-in trainer and has no state layout: a training command cannot "
                        + "resume from it; submit the command run as a new run, or resume from one of its own "
                        + "checkpoints");
            }
            StateUpload.deleteRecursively(resumeDir);
            Files.createDirectories(resumeDir);
            try {
                for (ManifestFile f : manifest.files()) {
                    restoreFile(storage, manifest, f, resumeDir);
                }
            } catch (IOException | RuntimeException | CheckpointCorruptException e) {
                StateUpload.deleteRecursively(resumeDir);
                Files.createDirectories(resumeDir);
                throw e;
            }
            Path stateDir = resumeDir.resolve(manifest.layout().stateDir());
            Files.createDirectories(stateDir); // a state whose files all lie beside it still has its folder
            return stateDir;
        };
    }

    private static void restoreFile(CheckpointStorage storage, CheckpointManifest manifest, ManifestFile f,
            Path resumeDir) throws IOException, CheckpointCorruptException {
        String relative = manifest.layout().paths().get(f.name());
        if (relative == null) {
            throw new CheckpointCorruptException(manifest.checkpointId(), f.name(),
                    "checkpoint " + manifest.checkpointId() + " lists file " + f.name()
                            + " but its layout does not say where it goes");
        }
        Path target = resumeDir.resolve(relative).normalize();
        if (!target.startsWith(resumeDir)) {
            throw new IOException("checkpoint " + manifest.checkpointId() + " puts " + f.name() + " outside the "
                    + "resume folder: " + relative);
        }
        Files.createDirectories(target.getParent());
        try (OutputStream out = Files.newOutputStream(target)) {
            CheckpointLoader.download(storage, manifest, f, out);
        }
    }
}
