package dev.savepoint.contracts.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The parameter hash of a built-in trainer's checkpoint, computed from its stored {@code model.safetensors} alone.
 *
 * <p>The built-in trainer writes the parameters in name order, back to back, after the safetensors header; its
 * {@code finalParamsSha256} is the SHA-256 over every parameter's little-endian bytes in name order. Both are the same
 * bytes, so the hash of the file's data section (everything after the 8-byte header length and the header) is the
 * parameter hash, and one pass over the file gives it beside the whole file's SHA-256.
 */
public final class ParamsDigest {

    /** The built-in trainer's parameter file in a checkpoint. */
    public static final String MODEL_FILE = "model.safetensors";

    /** Headers beyond this are not a checkpoint the built-in trainer wrote. */
    private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private ParamsDigest() {
    }

    /** SHA-256 (lowercase hex) of the whole stream, and of its safetensors data section when it has one. */
    public record Digests(String fileSha256, String paramsSha256) {
    }

    /** Reads {@code in} to its end; {@code paramsSha256} is null when the bytes are not a safetensors file. */
    public static Digests of(InputStream in) throws IOException {
        MessageDigest data = sha256();
        Pass pass = pass(in, data);
        return new Digests(pass.fileSha256(), pass.hasData() ? hex(data) : null);
    }

    /**
     * The parameter hash of a sharded {@code model}: the shards' data sections in shard order, which are the
     * parameters' bytes in name order as in the single file. Feed it each shard in order, then ask for the hash.
     */
    public static final class Sharded {
        private final MessageDigest data = sha256();
        private boolean valid = true;

        /** Reads one shard to its end; returns the SHA-256 of the whole shard. */
        public String shard(InputStream in) throws IOException {
            Pass pass = pass(in, data);
            valid &= pass.hasData();
            return pass.fileSha256();
        }

        /** The parameter hash, or null when a shard was not a safetensors file. */
        public String paramsSha256() {
            return valid ? hex(data) : null;
        }
    }

    /** One read of a file: its whole hash, and whether its data section went into the data digest. */
    private record Pass(String fileSha256, boolean hasData) {
    }

    private static Pass pass(InputStream in, MessageDigest data) throws IOException {
        MessageDigest file = sha256();
        byte[] buffer = new byte[1 << 16];
        long read = 0;
        long dataStart = -1; // unknown until the 8-byte header length is read
        byte[] lengthBytes = new byte[8];
        boolean valid = true;
        for (int n; (n = in.read(buffer)) > 0; ) {
            file.update(buffer, 0, n);
            for (int i = 0; i < n && read + i < 8; i++) {
                lengthBytes[(int) (read + i)] = buffer[i];
            }
            if (dataStart < 0 && read + n >= 8) {
                long headerBytes = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
                valid = headerBytes > 0 && headerBytes <= MAX_HEADER_BYTES;
                dataStart = 8 + (valid ? headerBytes : 0);
            }
            if (dataStart >= 0 && read + n > dataStart) {
                int from = (int) Math.max(0, dataStart - read);
                data.update(buffer, from, n - from);
            }
            read += n;
        }
        boolean hasData = valid && dataStart >= 0 && read >= dataStart;
        return new Pass(hex(file), hasData);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    private static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }
}
