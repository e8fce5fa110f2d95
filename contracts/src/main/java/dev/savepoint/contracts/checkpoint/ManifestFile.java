package dev.savepoint.contracts.checkpoint;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.savepoint.contracts.Ids;

/** One file of a checkpoint as its manifest records it: name inside the checkpoint folder, size, SHA-256 (hex). */
public record ManifestFile(
        @JsonProperty(required = true) String name,
        @JsonProperty(required = true) long size,
        @JsonProperty(required = true) String sha256) {

    public ManifestFile {
        if (!Ids.isFileName(name)) {
            throw new IllegalArgumentException("field 'name' must be a plain file name (1-255 characters, no '/', "
                    + "'\\', NUL or '..'), got '" + Ids.printable(name) + "'");
        }
        if (size < 0) {
            throw new IllegalArgumentException("field 'size' must be >= 0, got " + size);
        }
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("field 'sha256' must be 64 lowercase hex digits, got '" + sha256 + "'");
        }
    }
}
