package dev.savepoint.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Where training examples come from: {@code synthetic} (seeded, generated) or {@code csv} (a local path or an
 * {@code s3://bucket/key} object whose last column is the class label unless {@code labelColumn} says otherwise).
 */
public record DataSpec(
        @JsonProperty(required = true) String type,
        Integer samples,
        Integer classes,
        Long seed,
        String path,
        Integer labelColumn,
        Boolean header) {

    public static final List<String> TYPES = List.of("synthetic", "csv");

    public DataSpec {
        seed = seed == null ? 0L : seed;
        header = header == null ? Boolean.TRUE : header;
    }
}
