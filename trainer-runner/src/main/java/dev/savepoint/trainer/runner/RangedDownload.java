package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.trainer.engine.SafetensorsReader;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Reads one stored safetensors file straight into the arrays of its tensors with parallel ranged GETs, and verifies
 * its size and SHA-256 against the manifest while the later ranges are still arriving: the hash goes over the ranges
 * in file order as each one lands. Nothing holds the whole file besides the tensors themselves.
 */
final class RangedDownload {

    /** A range of the data section, [begin, end). */
    private record Range(long begin, long end) {
    }

    private final CheckpointStorage storage;
    private final ExecutorService pool;
    private final long partSize;

    RangedDownload(CheckpointStorage storage, ExecutorService pool, long partSize) {
        this.storage = storage;
        this.pool = pool;
        this.partSize = partSize;
    }

    /**
     * The tensors of {@code key}, which the manifest says is {@code file}; a size, hash or format that does not match
     * throws {@link CorruptFile} (never a partly filled result).
     */
    SafetensorsReader.Contents read(String key, ManifestFile file) throws IOException, CorruptFile,
            InterruptedException {
        MessageDigest sha = CheckpointFiles.sha256();
        SafetensorsReader.Layout layout;
        long dataStart;
        try {
            byte[] first = readFirst(key, file.size());
            long headerLength = SafetensorsReader.headerLength(first, file.size());
            byte[] header = readRange(key, 8, headerLength);
            dataStart = 8 + headerLength;
            layout = SafetensorsReader.layout(header, file.size() - dataStart);
            sha.update(first);
            sha.update(header);
        } catch (IllegalArgumentException e) {
            throw new CorruptFile("is not a safetensors file of " + file.size() + " bytes: " + e.getMessage());
        }
        List<Range> ranges = ranges(file.size() - dataStart);
        List<Future<?>> fetches = new ArrayList<>();
        for (Range range : ranges) {
            fetches.add(pool.submit(() -> {
                fill(key, dataStart, range, layout);
                return null;
            }));
        }
        try {
            for (int i = 0; i < ranges.size(); i++) {
                await(fetches.get(i));
                hash(sha, ranges.get(i), layout);
            }
        } finally {
            fetches.forEach(f -> f.cancel(true));
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        if (!actual.equals(file.sha256())) {
            throw new CorruptFile("has SHA-256 " + actual + " but the manifest says " + file.sha256());
        }
        return layout.contents();
    }

    private List<Range> ranges(long dataBytes) {
        List<Range> ranges = new ArrayList<>();
        for (long begin = 0; begin < dataBytes; begin += partSize) {
            ranges.add(new Range(begin, Math.min(dataBytes, begin + partSize)));
        }
        return ranges;
    }

    /** Copies one range of the stored data section into the tensors it overlaps. */
    private void fill(String key, long dataStart, Range range, SafetensorsReader.Layout layout)
            throws IOException, CorruptFile {
        try (InputStream in = storage.openRange(key, dataStart + range.begin(), range.end() - range.begin())) {
            for (var slot : layout.slots()) {
                long from = Math.max(range.begin(), slot.begin());
                long to = Math.min(range.end(), slot.end());
                if (from < to) {
                    int length = (int) (to - from);
                    if (in.readNBytes(slot.tensor().data(), (int) (from - slot.begin()), length) != length) {
                        throw new CorruptFile("ended before byte " + (dataStart + to) + " of the size the manifest "
                                + "says");
                    }
                }
            }
        }
    }

    private static void hash(MessageDigest sha, Range range, SafetensorsReader.Layout layout) {
        for (var slot : layout.slots()) {
            long from = Math.max(range.begin(), slot.begin());
            long to = Math.min(range.end(), slot.end());
            if (from < to) {
                sha.update(slot.tensor().data(), (int) (from - slot.begin()), (int) (to - from));
            }
        }
    }

    /** The first 8 bytes, and a check that the stored object has the manifest's size (the range answer names it). */
    private byte[] readFirst(String key, long size) throws IOException, CorruptFile {
        try (var in = storage.openRange(key, 0, Math.min(8, Math.max(size, 1)))) {
            String range = in.headers().get("Content-Range");
            String total = range == null ? null : range.substring(range.lastIndexOf('/') + 1);
            if (total != null && !total.equals(Long.toString(size))) {
                throw new CorruptFile("has " + total + " bytes but the manifest says " + size);
            }
            byte[] bytes = in.readNBytes((int) Math.min(8, size));
            if (bytes.length < Math.min(8, size)) {
                throw new CorruptFile("ended at byte " + bytes.length + ", before its header did");
            }
            return bytes;
        }
    }

    private byte[] readRange(String key, long offset, long length) throws IOException, CorruptFile {
        try (InputStream in = storage.openRange(key, offset, length)) {
            byte[] bytes = in.readNBytes((int) length);
            if (bytes.length != length) {
                throw new CorruptFile("ended at byte " + (offset + bytes.length) + ", before its header did");
            }
            return bytes;
        }
    }

    private static void await(Future<?> fetch) throws IOException, CorruptFile, InterruptedException {
        try {
            fetch.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CorruptFile c) {
                throw c;
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause().toString(), e.getCause());
        }
    }

    /** The stored file is not what the manifest says; the message says how, without the file's name. */
    static final class CorruptFile extends Exception {
        CorruptFile(String message) {
            super(message);
        }
    }
}
