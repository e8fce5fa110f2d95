package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.trainer.engine.HostTensor;
import dev.savepoint.trainer.engine.SafetensorsWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** Serializes one checkpoint's files into a spool folder, hashing each while it streams to disk. */
public final class CheckpointFiles {

    static final String MODEL = dev.savepoint.contracts.checkpoint.ParamsDigest.MODEL_FILE;
    static final String OPTIMIZER = "optimizer.safetensors";

    private CheckpointFiles() {
    }

    /** A file's bytes as written by {@code writer}, with its size and SHA-256. */
    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    static ManifestFile write(Path dir, String name, Writer writer) throws IOException {
        MessageDigest sha = sha256();
        Path file = dir.resolve(name);
        try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16),
                sha)) {
            writer.write(out);
        }
        return new ManifestFile(name, Files.size(file), HexFormat.of().formatHex(sha.digest()));
    }

    static ManifestFile tensors(Path dir, String name, Map<String, HostTensor> tensors, Map<String, String> metadata)
            throws IOException {
        return write(dir, name, out -> SafetensorsWriter.write(tensors, metadata, out));
    }

    static ManifestFile json(Path dir, String name, Object value) throws IOException {
        return write(dir, name, out -> out.write(Json.mapper().writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(value)));
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
