package dev.savepoint.trainer.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * A text as byte tokens for a language model: example {@code i} is the window of {@code seqLen} bytes starting at
 * byte {@code i}, labelled with the byte after each of its positions. Every start offset is an example, so the
 * sampler's seeded per-epoch permutation decides which windows each step sees.
 */
public final class TextData implements TrainingData {

    /** Byte tokens: one class per byte value. */
    public static final int VOCAB = 256;
    /** Text longer than this cannot be held in one Java array. */
    public static final int MAX_BYTES = Integer.MAX_VALUE - 16;

    private final byte[] text;
    private final int seqLen;
    private final long orderSeed;

    public TextData(byte[] text, int seqLen, long orderSeed) {
        if (seqLen < 1) {
            throw new IllegalArgumentException("model.seqLen must be at least 1, got " + seqLen);
        }
        if (text.length < seqLen + 1) {
            throw new IllegalArgumentException("the text has " + text.length + " bytes; a window of model.seqLen "
                    + seqLen + " and its next byte need at least " + (seqLen + 1));
        }
        this.text = text;
        this.seqLen = seqLen;
        this.orderSeed = orderSeed;
    }

    public static TextData read(InputStream in, int seqLen, long orderSeed) throws IOException {
        return new TextData(in.readNBytes(MAX_BYTES), seqLen, orderSeed);
    }

    /**
     * The bytes of a file, or of a folder's regular files in name order (symbolic links, hidden files and
     * {@code .dat} files are skipped: in Debian's fortunes folder those are the {@code .u8} aliases and the strfile
     * indexes, not text).
     */
    public static InputStream open(Path fileOrFolder) throws IOException {
        if (!Files.isDirectory(fileOrFolder)) {
            return Files.newInputStream(fileOrFolder);
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(fileOrFolder)) {
            files = listing.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !p.getFileName().toString().startsWith(".") && !p.getFileName().toString().endsWith(".dat"))
                    .sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("the folder " + fileOrFolder + " holds no text files");
        }
        List<InputStream> streams = new ArrayList<>();
        for (Path file : files) {
            streams.add(Files.newInputStream(file));
        }
        return new SequenceInputStream(Collections.enumeration(streams));
    }

    @Override
    public int sampleCount() {
        return text.length - seqLen;
    }

    @Override
    public int featureCount() {
        return seqLen;
    }

    @Override
    public int classCount() {
        return VOCAB;
    }

    @Override
    public long orderSeed() {
        return orderSeed;
    }

    @Override
    public int labelCount() {
        return seqLen;
    }

    @Override
    public void copyExample(int sample, float[] features, int featureOffset, long[] labels, int labelOffset) {
        for (int i = 0; i < seqLen; i++) {
            features[featureOffset + i] = text[sample + i] & 0xFF;
            labels[labelOffset + i] = text[sample + i + 1] & 0xFF;
        }
    }

    /** The text's length in bytes. */
    public int length() {
        return text.length;
    }
}
