package dev.savepoint.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.savepoint.contracts.events.SavepointEvent;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.contracts.spec.SpecValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * The one JSON mapping of every contract type: unknown fields ignored, missing required fields refused with the
 * field's path, times as ISO-8601, nulls left out.
 */
public final class Json {

    private static final ObjectMapper MAPPER = configure(new ObjectMapper());

    /** The mapping of a spec a user submits: unknown fields and fractions in integer fields refused by name. */
    private static final ObjectMapper STRICT = configure(new ObjectMapper())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false)
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);

    /**
     * The largest run spec a user may submit, in bytes: a spec travels inside LaunchAttempt and AttemptStarted, so it
     * stays well below the event limit ({@link Failures#MAX_EVENT_BYTES}).
     */
    public static final int MAX_SPEC_BYTES = 64 * 1024;

    private Json() {
    }

    /** Applies the contract settings to a mapper (e.g. the one a Quarkus service injects). */
    public static ObjectMapper configure(ObjectMapper mapper) {
        // A key given twice is refused: which value wins is a guess (and read into a record, Jackson failed with an
        // InvalidDefinitionException, a 500 in a service)
        mapper.getFactory().enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return mapper.registerModule(new JavaTimeModule())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE, true)
                // Absent numeric fields take their defaults (e.g. schemaVersion from an older producer); required
                // ones are marked @JsonProperty(required = true) and refused by name.
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false)
                .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    public static String writeString(Object value) {
        return new String(write(value), StandardCharsets.UTF_8);
    }

    /** Reads any contract type; a bad document throws {@link InvalidJsonException} naming the field. */
    public static <T> T read(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new InvalidJsonException(describe(type, e), e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        return read(json.getBytes(StandardCharsets.UTF_8), type);
    }

    public static SavepointEvent event(byte[] json) {
        return read(json, SavepointEvent.class);
    }

    /**
     * Reads and validates a run spec as an attempt receives it (unknown fields ignored, for specs written by a newer
     * scheduler); a problem throws {@link InvalidJsonException} or {@link SpecValidator.InvalidSpecException}
     * naming the field.
     */
    public static RunSpec spec(byte[] json) {
        RunSpec spec = read(json, RunSpec.class);
        SpecValidator.requireValid(spec);
        return spec;
    }

    /**
     * Reads and validates a run spec a user submits (POST /api/runs): besides {@link #spec(byte[])}'s checks, an
     * unknown field, a fraction in an integer field ({@code maxSteps: 1.5}) or content after the object is refused
     * naming the field. Events embedding a spec keep the tolerant {@link #read(byte[], Class)}.
     */
    public static RunSpec submittedSpec(byte[] json) {
        RunSpec spec = submitted(json, RunSpec.class, "a run spec");
        SpecValidator.requireValid(spec);
        return spec;
    }

    /**
     * Reads a request body strictly, like {@link #submittedSpec(byte[])}: an unknown field, a fraction in an integer
     * field or content after the object is refused naming the field; {@code what} names the expected document.
     */
    public static <T> T submitted(byte[] json, Class<T> type, String what) {
        if (json != null && json.length > MAX_SPEC_BYTES) {
            throw new InvalidJsonException("request body has " + json.length + " bytes; " + what + " may have at "
                    + "most " + MAX_SPEC_BYTES + " (a run spec travels inside events, which are limited)", null);
        }
        T value;
        try {
            value = STRICT.readValue(json == null ? new byte[0] : json, type);
        } catch (IOException e) {
            boolean atField = e instanceof JsonMappingException jme && !jme.getPath().isEmpty();
            throw new InvalidJsonException(atField ? describe(type, e)
                    : "request body is not " + what + " (a JSON object): " + rootMessage(e), e);
        }
        if (value == null) {
            throw new InvalidJsonException("request body is not " + what + " (a JSON object): it is null", null);
        }
        return value;
    }

    private static String describe(Class<?> type, IOException e) {
        if (e instanceof InvalidTypeIdException tid) {
            return "unknown event type '" + tid.getTypeId() + "'";
        }
        String what = type.getSimpleName();
        if (e instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
            return "invalid " + what + " at field '" + fieldPath(jme) + "': " + rootMessage(e);
        }
        return "invalid " + what + ": " + rootMessage(e);
    }

    /** Where in a document a mapping failed, as a field path ({@code model.hidden[2]}); empty at the root. */
    public static String fieldPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }

    /** A JSON document that does not fit its contract; the message names the field and what is wrong with it. */
    public static final class InvalidJsonException extends IllegalArgumentException {
        public InvalidJsonException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
