package dev.savepoint.trainer.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a safetensors file into host tensors, checking every offset against the file it came from. A file read in
 * pieces (ranged downloads) is parsed in two steps: {@link #headerLength} of its first 8 bytes, then {@link #layout}
 * of its header, whose tensors the caller fills from the data section.
 */
public final class SafetensorsReader {

    static final String METADATA_KEY = "__metadata__";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Headers beyond this are not a checkpoint's (the format's own readers refuse 100 MB as well). */
    private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    /** The tensors of one file, by name, and its string metadata. */
    public record Contents(Map<String, HostTensor> tensors, Map<String, String> metadata) {
    }

    /** One tensor of a header: where its bytes lie in the data section, and an array of that size to fill. */
    public record Slot(String name, long begin, HostTensor tensor) {
        public long end() {
            return begin + tensor.data().length;
        }
    }

    /** A parsed header: the tensors in data order, filling the data section exactly, and the metadata. */
    public record Layout(List<Slot> slots, Map<String, String> metadata) {

        public Contents contents() {
            Map<String, HostTensor> tensors = new LinkedHashMap<>();
            slots.forEach(s -> tensors.put(s.name(), s.tensor()));
            return new Contents(tensors, metadata);
        }
    }

    private SafetensorsReader() {
    }

    public static Contents read(byte[] file) {
        long headerLength = headerLength(file, file.length);
        int dataStart = 8 + (int) headerLength;
        Layout layout = layout(Arrays.copyOfRange(file, 8, dataStart), file.length - dataStart);
        for (Slot slot : layout.slots()) {
            byte[] data = slot.tensor().data();
            System.arraycopy(file, dataStart + (int) slot.begin(), data, 0, data.length);
        }
        return layout.contents();
    }

    /** The header length the first 8 bytes of a file of {@code fileSize} bytes give, checked to fit the file. */
    public static long headerLength(byte[] first8, long fileSize) {
        if (first8.length < 8 || fileSize < 8) {
            throw new IllegalArgumentException("not a safetensors file: " + fileSize + " bytes, need at least 8");
        }
        long headerLength = ByteBuffer.wrap(first8, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 2 || headerLength > fileSize - 8 || headerLength > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("safetensors header length " + headerLength + " does not fit a file of "
                    + fileSize + " bytes");
        }
        return headerLength;
    }

    /**
     * The tensors a header declares, each with an empty array of its size, checked to fill {@code dataBytes} exactly
     * (the format allows no holes and no overlaps).
     */
    public static Layout layout(byte[] header, long dataBytes) {
        JsonNode json = parseHeader(header);
        List<Slot> slots = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = json.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals(METADATA_KEY)) {
                field.getValue().fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
            } else {
                slots.add(slot(field.getKey(), field.getValue(), dataBytes));
            }
        }
        slots.sort(Comparator.comparingLong(Slot::begin));
        long expected = 0;
        for (Slot slot : slots) {
            if (slot.begin() != expected) {
                throw new IllegalArgumentException("tensor '" + slot.name() + "' starts at data offset " + slot.begin()
                        + " but the tensors before it end at " + expected + " (a hole or an overlap)");
            }
            expected = slot.end();
        }
        if (expected != dataBytes) {
            throw new IllegalArgumentException("the tensors cover " + expected + " data bytes but the file has "
                    + dataBytes);
        }
        return new Layout(List.copyOf(slots), metadata);
    }

    private static JsonNode parseHeader(byte[] header) {
        try {
            JsonNode json = JSON.readTree(new String(header, StandardCharsets.UTF_8));
            if (json == null || !json.isObject()) {
                throw new IllegalArgumentException("safetensors header is not a JSON object");
            }
            return json;
        } catch (IOException e) {
            throw new IllegalArgumentException("safetensors header is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static Slot slot(String name, JsonNode entry, long dataBytes) {
        DType dtype = DType.parse(entry.path("dtype").asText());
        JsonNode shapeNode = entry.path("shape");
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
        }
        long begin = entry.path("data_offsets").path(0).asLong(-1);
        long end = entry.path("data_offsets").path(1).asLong(-1);
        if (begin < 0 || end < begin || end > dataBytes || end - begin > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor '" + name + "' has data_offsets [" + begin + ", " + end
                    + "] outside the " + dataBytes + " data bytes");
        }
        try {
            return new Slot(name, begin, new HostTensor(dtype, shape, new byte[(int) (end - begin)]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tensor '" + name + "': " + e.getMessage(), e);
        }
    }
}
