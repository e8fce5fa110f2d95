package dev.savepoint.trainer.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Streams host tensors as a safetensors file (8-byte little-endian header length, JSON header, raw bytes).
 *
 * <p>Works from {@link HostTensor}s only, so a background thread can write while training goes on.
 */
public final class SafetensorsWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsWriter() {
    }

    /** Writes {@code tensors} in name order, with optional string metadata, and leaves {@code out} open. */
    public static void write(Map<String, HostTensor> tensors, Map<String, String> metadata, OutputStream out) throws IOException {
        Map<String, HostTensor> sorted = new TreeMap<>(tensors);
        byte[] header = header(sorted, metadata);
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
        out.write(header);
        for (HostTensor tensor : sorted.values()) {
            out.write(tensor.data());
        }
        out.flush();
    }

    /** A safetensors file not yet written: its exact size and a stream of its bytes. */
    public record Serialized(long size, InputStream bytes) {
    }

    /**
     * The file as a stream that reads the tensors' own arrays (no copy of the file is made): header first, then every
     * tensor in name order, exactly the bytes {@link #write} writes.
     */
    public static Serialized serialize(Map<String, HostTensor> tensors, Map<String, String> metadata)
            throws IOException {
        Map<String, HostTensor> sorted = new TreeMap<>(tensors);
        byte[] header = header(sorted, metadata);
        List<InputStream> parts = new ArrayList<>();
        parts.add(new ByteArrayInputStream(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).array()));
        parts.add(new ByteArrayInputStream(header));
        long size = 8L + header.length;
        for (HostTensor tensor : sorted.values()) {
            parts.add(new ByteArrayInputStream(tensor.data()));
            size += tensor.data().length;
        }
        return new Serialized(size, new SequenceInputStream(Collections.enumeration(parts)));
    }

    public static byte[] toBytes(Map<String, HostTensor> tensors, Map<String, String> metadata) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(tensors, metadata, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] header(Map<String, HostTensor> sorted, Map<String, String> metadata) throws IOException {
        Map<String, Object> entries = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            entries.put(SafetensorsReader.METADATA_KEY, new TreeMap<>(metadata));
        }
        long offset = 0;
        for (Map.Entry<String, HostTensor> entry : sorted.entrySet()) {
            if (entry.getKey().equals(SafetensorsReader.METADATA_KEY)) {
                throw new IllegalArgumentException("a tensor may not be named " + SafetensorsReader.METADATA_KEY);
            }
            HostTensor tensor = entry.getValue();
            long end = offset + tensor.data().length;
            entries.put(entry.getKey(), Map.of(
                    "dtype", tensor.dtype().name(), "shape", tensor.shape(), "data_offsets", List.of(offset, end)));
            offset = end;
        }
        // Padding the header with spaces to a multiple of 8 keeps the data aligned, as the format recommends.
        byte[] json = JSON.writeValueAsString(entries).getBytes(StandardCharsets.UTF_8);
        byte[] padded = Arrays.copyOf(json, (json.length + 7) / 8 * 8);
        Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        return padded;
    }
}
