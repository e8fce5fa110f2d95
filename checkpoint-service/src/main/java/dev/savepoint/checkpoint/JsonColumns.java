package dev.savepoint.checkpoint;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.contracts.spec.RetentionSpec;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** JPA converters of the jsonb columns, through the contracts' JSON mapping so that rows read back as they were. */
final class JsonColumns {

    private JsonColumns() {
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return json == null ? null : Json.mapper().readValue(json, type);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read jsonb column as " + type.getType() + ": " + e.getMessage(), e);
        }
    }

    /** Metrics such as {"loss": 0.42}. */
    @Converter
    static class MetricsConverter implements AttributeConverter<Map<String, Double>, String> {
        @Override
        public String convertToDatabaseColumn(Map<String, Double> value) {
            return Json.writeString(value == null ? Map.of() : value);
        }

        @Override
        public Map<String, Double> convertToEntityAttribute(String json) {
            Map<String, Double> value = read(json, new TypeReference<Map<String, Double>>() { });
            return value == null ? Map.of() : value;
        }
    }

    /** The files of a checkpoint as its manifest lists them. */
    @Converter
    static class FilesConverter implements AttributeConverter<List<ManifestFile>, String> {
        @Override
        public String convertToDatabaseColumn(List<ManifestFile> value) {
            return Json.writeString(value == null ? List.of() : value);
        }

        @Override
        public List<ManifestFile> convertToEntityAttribute(String json) {
            List<ManifestFile> value = read(json, new TypeReference<List<ManifestFile>>() { });
            return value == null ? List.of() : List.copyOf(value);
        }
    }

    /** A run's retention policy from its spec. */
    @Converter
    static class RetentionConverter implements AttributeConverter<RetentionSpec, String> {
        @Override
        public String convertToDatabaseColumn(RetentionSpec value) {
            return value == null ? null : Json.writeString(value);
        }

        @Override
        public RetentionSpec convertToEntityAttribute(String json) {
            return read(json, new TypeReference<RetentionSpec>() { });
        }
    }
}
