package dev.savepoint.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Where training examples come from: {@code synthetic} (seeded, generated), {@code csv} (a local path or an
 * {@code s3://bucket/key} object whose last column is the class label unless {@code labelColumn} says otherwise) or
 * {@code text} (the bytes of a file, of an {@code s3://} object, or of a folder's files in name order, such as
 * Debian's fortunes folder, {@link DataRoots#FORTUNES}; a transformer learns to predict each next byte).
 */
public record DataSpec(
        @JsonProperty(required = true) String type,
        Integer samples,
        Integer classes,
        Long seed,
        String path,
        Integer labelColumn,
        Boolean header) {

    public static final List<String> TYPES = List.of("synthetic", "csv", "text");

    public DataSpec {
        seed = seed == null ? 0L : seed;
        header = header == null ? Boolean.TRUE : header;
    }
}
