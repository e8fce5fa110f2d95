package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.contracts.events.CheckpointCorrupt;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Finds, downloads and verifies the checkpoint an attempt resumes from, only ever a good one. The catalog decides when
 * it answers: lease-newest chooses its newest COMMITTED checkpoint and leases it in one step when the attempt starts
 * (a named checkpoint is leased before it is read), the lease is released once the files are restored, and one whose
 * files fail their hash here is marked CORRUPT there and the one before it is leased. Only when the catalog stays unreachable does the resume read storage, where every
 * file is verified against its manifest and no checkpoint of an attempt older than the newest one there is taken.
 *
 * <p>What "restore" means is the caller's {@link Restore}: the built-in trainer reads the files into memory, a command
 * run writes them into its work folder; both verify every byte here, through {@link #download}.
 *
 * @param <T> what a restore yields
 */
public final class CheckpointLoader<T> {

    /** A verified, restored checkpoint. */
    public record Loaded<T>(CheckpointManifest manifest, T restored) {
    }

    /** Restores one checkpoint's files (each through {@link #download}); a bad file throws the corrupt exception. */
    @FunctionalInterface
    public interface Restore<T> {
        T restore(CheckpointManifest manifest) throws IOException, CheckpointCorruptException;
    }

    /** How many corrupt checkpoints in a row one resume reports before it gives up. */
    private static final int MAX_CORRUPT = 10;

    private final CheckpointStorage storage;
    private final CatalogClient catalog;
    private final EventSink events;
    private final AttemptArgs args;
    private final PrintStream log;
    private final Restore<T> restore;

    public CheckpointLoader(CheckpointStorage storage, CatalogClient catalog, EventSink events, AttemptArgs args,
            PrintStream log, Restore<T> restore) {
        this.restore = restore;
        this.storage = storage;
        this.catalog = catalog;
        this.events = events;
        this.args = args;
        this.log = log;
    }

    /**
     * The checkpoint {@code resumeFrom} ({@code latest} or an id) names, leased before it is read and released once
     * it is restored; empty when the run has none yet.
     */
    public Optional<Loaded<T>> resume(String resumeFrom)
            throws IOException, CheckpointCorruptException, InterruptedException {
        boolean latest = resumeFrom.equals("latest");
        var answer = latest ? catalog.leaseNewest(args.runId(), holder()) : leaseNamed(resumeFrom);
        if (answer.isPresent() && latest && answer.get().runUnknown() && args.attempt() > 1) {
            // A relaunch of a run the catalog has not heard of: its consumer is behind or its database is new, and
            // the earlier attempts' checkpoints are only in storage. Starting from step 0 would throw them away.
            log.println("savepoint: the catalog does not know run " + args.runId() + " yet (" + answer.get().message()
                    + "); reading its checkpoints from storage (newest attempt only, every file verified against its "
                    + "manifest)");
            return fromStorage(resumeFrom);
        }
        if (answer.isPresent()) {
            return fromCatalog(resumeFrom, answer.get());
        }
        log.println("savepoint: resuming without checkpoint-service: reading run " + args.runId()
                + "'s checkpoints from storage (newest attempt only, every file verified against its manifest)");
        return fromStorage(resumeFrom);
    }

    /** Who holds a resume's lease, as the catalog shows it. */
    private String holder() {
        return args.runId() + "/attempt-" + args.attempt();
    }

    /**
     * A named checkpoint is leased first (so that retention cannot take it meanwhile), then its entry is read; a
     * refused lease (409: not COMMITTED, 404: unknown) ends the resume with the catalog's reason.
     */
    private Optional<CatalogClient.Answer> leaseNamed(String checkpointId) throws IOException, InterruptedException {
        var lease = catalog.lease(checkpointId, holder());
        if (lease.isEmpty()) {
            return Optional.empty();
        }
        if (!lease.get().ok()) {
            throw new IOException("checkpoint " + checkpointId + " of run " + args.runId() + " cannot be resumed: "
                    + "the catalog refused to lease it (" + lease.get().message() + "); only COMMITTED checkpoints "
                    + "are resumed: resume from latest instead");
        }
        var entry = catalog.checkpoint(checkpointId);
        if (entry.isEmpty() || !entry.get().ok()) {
            catalog.release(lease.get().leaseId());
            return entry.map(e -> new CatalogClient.Answer(e.status(), null, null, e.message()));
        }
        return Optional.of(new CatalogClient.Answer(200, entry.get().entry(), lease.get().leaseId(), null));
    }

    private Optional<Loaded<T>> fromCatalog(String resumeFrom, CatalogClient.Answer answer)
            throws IOException, CheckpointCorruptException, InterruptedException {
        for (int corrupt = 0; ; corrupt++) {
            var entry = answer.entry();
            if (!answer.ok() || entry == null) {
                if (resumeFrom.equals("latest")) {
                    log.println("savepoint: the catalog has no checkpoint to resume run " + args.runId() + " from ("
                            + answer.message() + ")");
                    return Optional.empty();
                }
                throw new IOException("checkpoint " + resumeFrom + " of run " + args.runId()
                        + " is not in the catalog (" + answer.message() + ")");
            }
            if (!entry.committed()) {
                catalog.release(answer.leaseId());
                throw new IOException("checkpoint " + entry.checkpointId() + " is " + entry.state()
                        + " in the catalog; only COMMITTED checkpoints are resumed: resume from latest instead");
            }
            CheckpointCorruptException reported;
            try {
                CheckpointManifest manifest = readManifest(entry.prefix() + CheckpointManifest.FILE_NAME);
                log.println("savepoint: resume point " + entry.checkpointId() + " leased (lease " + answer.leaseId()
                        + ")");
                return Optional.of(load(manifest));
            } catch (CheckpointCorruptException e) {
                if (!resumeFrom.equals("latest") || corrupt + 1 >= MAX_CORRUPT
                        || !catalog.reportCorrupt(e.checkpointId(), e.fileName(), e.getMessage())) {
                    throw e;
                }
                log.println("savepoint: " + e.getMessage() + "; marked CORRUPT in the catalog, leasing the newest "
                        + "committed checkpoint before it");
                reported = e;
            } finally {
                // Restored (the files are in memory) or given up: retention need not keep it for this attempt.
                catalog.release(answer.leaseId());
            }
            answer = catalog.leaseNewest(args.runId(), holder()).orElseThrow(() -> reported);
        }
    }

    private Optional<Loaded<T>> fromStorage(String resumeFrom) throws IOException, CheckpointCorruptException {
        StoredCheckpoints stored = StoredCheckpoints.of(storage, args.runId());
        List<StoredCheckpoints.Folder> candidates;
        if (resumeFrom.equals("latest")) {
            candidates = stored.newestAttemptsNewestFirst();
        } else {
            var folder = stored.byId(resumeFrom).orElseThrow(() -> new IOException("checkpoint " + resumeFrom
                    + " of run " + args.runId() + " has no manifest in storage"));
            if (folder.attempt() < stored.newestAttempt()) {
                throw new IOException("checkpoint " + resumeFrom + " was written by attempt " + folder.attempt()
                        + " but storage holds checkpoints of attempt " + stored.newestAttempt() + ": without "
                        + "checkpoint-service it cannot be told from a stale attempt's; retry when it is reachable");
            }
            candidates = List.of(folder);
        }
        CheckpointCorruptException last = null;
        for (var folder : candidates) {
            if (last != null) { // reported only when another candidate follows; the attempt reports the last one
                events.send(Topics.CHECKPOINTS, CheckpointCorrupt.of(args.runId(), args.attempt(),
                        last.checkpointId(), last.fileName(), last.getMessage()));
            }
            try {
                Loaded<T> loaded = load(verifiedManifest(folder));
                log.println("savepoint: resuming from storage: checkpoint " + folder.checkpointId() + " (step "
                        + folder.step() + " of attempt " + folder.attempt() + ", the newest attempt in storage)");
                return Optional.of(loaded);
            } catch (CheckpointCorruptException e) {
                log.println("savepoint: skipping checkpoint at step " + folder.step() + ": " + e.getMessage());
                last = e;
            }
        }
        if (last != null) {
            throw last;
        }
        return Optional.empty();
    }

    /** The manifest of a stored folder, which must parse and name the folder it is in. */
    private CheckpointManifest verifiedManifest(StoredCheckpoints.Folder folder) throws CheckpointCorruptException {
        try {
            CheckpointManifest m = readManifest(folder.manifestKey());
            if (m.runId().equals(args.runId()) && m.step() == folder.step() && m.attempt() == folder.attempt()) {
                return m;
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new CheckpointCorruptException(folder.checkpointId(), CheckpointManifest.FILE_NAME, "checkpoint "
                    + folder.checkpointId() + " has an unreadable manifest " + folder.manifestKey() + ": " + e);
        }
        throw new CheckpointCorruptException(folder.checkpointId(), CheckpointManifest.FILE_NAME, "manifest "
                + folder.manifestKey() + " names another run, step or attempt than its folder");
    }

    private Loaded<T> load(CheckpointManifest manifest) throws IOException, CheckpointCorruptException {
        return new Loaded<>(manifest, restore.restore(manifest));
    }

    /**
     * Streams one file of a checkpoint into {@code out}, hashing it on the way; throws when its size or SHA-256
     * differs from the manifest's (the caller must then throw away what it wrote).
     */
    public static void download(CheckpointStorage storage, CheckpointManifest manifest, ManifestFile f,
            OutputStream out) throws IOException, CheckpointCorruptException {
        String key = CheckpointManifest.prefix(manifest.runId(), manifest.step(), manifest.attempt()) + f.name();
        MessageDigest sha = CheckpointFiles.sha256();
        long size;
        try (InputStream in = storage.open(storage.bucket(), key)) {
            size = in.transferTo(new DigestOutputStream(out, sha));
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        if (size != f.size() || !actual.equals(f.sha256())) {
            String id = manifest.checkpointId();
            throw new CheckpointCorruptException(id, f.name(), "checkpoint " + id + " file " + f.name()
                    + " is corrupt: manifest says " + f.size() + " bytes sha256 " + f.sha256()
                    + ", stored object has " + size + " bytes sha256 " + actual);
        }
    }

    private CheckpointManifest readManifest(String key) throws IOException {
        return Json.read(storage.read(key), CheckpointManifest.class);
    }
}
