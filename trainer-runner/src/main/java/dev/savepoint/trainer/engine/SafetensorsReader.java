package dev.savepoint.trainer.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parses a safetensors file into host tensors, checking every offset against the file it came from. */
public final class SafetensorsReader {

    static final String METADATA_KEY = "__metadata__";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The tensors of one file, by name, and its string metadata. */
    public record Contents(Map<String, HostTensor> tensors, Map<String, String> metadata) {
    }

    private SafetensorsReader() {
    }

    public static Contents read(byte[] file) {
        if (file.length < 8) {
            throw new IllegalArgumentException("not a safetensors file: " + file.length + " bytes, need at least 8");
        }
        long headerLength = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 2 || headerLength > file.length - 8) {
            throw new IllegalArgumentException("safetensors header length " + headerLength + " does not fit a file of "
                    + file.length + " bytes");
        }
        int dataStart = 8 + (int) headerLength;
        JsonNode header = parseHeader(file, (int) headerLength);
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = header.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals(METADATA_KEY)) {
                field.getValue().fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
            } else {
                tensors.put(field.getKey(), tensor(field.getKey(), field.getValue(), file, dataStart));
            }
        }
        return new Contents(tensors, metadata);
    }

    private static JsonNode parseHeader(byte[] file, int length) {
        try {
            JsonNode header = JSON.readTree(new String(file, 8, length, StandardCharsets.UTF_8));
            if (header == null || !header.isObject()) {
                throw new IllegalArgumentException("safetensors header is not a JSON object");
            }
            return header;
        } catch (IOException e) {
            throw new IllegalArgumentException("safetensors header is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static HostTensor tensor(String name, JsonNode entry, byte[] file, int dataStart) {
        DType dtype = DType.parse(entry.path("dtype").asText());
        JsonNode shapeNode = entry.path("shape");
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
        }
        long begin = entry.path("data_offsets").path(0).asLong(-1);
        long end = entry.path("data_offsets").path(1).asLong(-1);
        if (begin < 0 || end < begin || dataStart + end > file.length) {
            throw new IllegalArgumentException("tensor '" + name + "' has data_offsets [" + begin + ", " + end
                    + "] outside the " + (file.length - dataStart) + " data bytes");
        }
        byte[] data = Arrays.copyOfRange(file, dataStart + (int) begin, dataStart + (int) end);
        try {
            return new HostTensor(dtype, shape, data);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tensor '" + name + "': " + e.getMessage(), e);
        }
    }
}
