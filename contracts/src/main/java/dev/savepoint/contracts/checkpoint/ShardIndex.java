package dev.savepoint.contracts.checkpoint;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code model.safetensors.index.json} of a sharded tensor file, in the Hugging Face layout: {@code metadata.total_size}
 * (bytes of tensor data over all shards) and {@code weight_map} (tensor name to shard file name).
 */
public record ShardIndex(
        @JsonProperty(required = true) Map<String, Object> metadata,
        @JsonProperty(value = "weight_map", required = true) Map<String, String> weightMap) {

    public ShardIndex {
        metadata = new TreeMap<>(metadata);
        weightMap = new TreeMap<>(weightMap);
    }

    public static ShardIndex of(long totalSize, Map<String, String> weightMap) {
        return new ShardIndex(Map.of("total_size", totalSize), weightMap);
    }
}
