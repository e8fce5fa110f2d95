package dev.savepoint.stack;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.savepoint.contracts.DeadLetters;
import dev.savepoint.contracts.EventSignatures;
import dev.savepoint.contracts.Failures;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.events.SavepointEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.RandomGenerator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * For a consumer's hostile-input test: records made from one valid event that every Savepoint consumer must refuse,
 * drawn with a seed: unsigned, signed with another key, tampered with after signing, a garbage or an attempt's
 * signature where it does not fit, or correctly signed but unreadable (truncated, not JSON, a tombstone, an unknown
 * type, a hostile run id or event id, a bad attempt, a newer schemaVersion, a missing field, deep nesting, invalid
 * UTF-8, larger than {@link Failures#MAX_EVENT_BYTES}). {@link #sendBurst} sends them under the event's key, so
 * they precede what the test sends next in the same partition, and {@link #awaitParked} checks the DLQ.
 */
public final class HostileRecords {

    /** One hostile record: its value (null for a tombstone), headers, and what makes it hostile. */
    public record Hostile(String kind, byte[] value, List<Header> headers) {
        @Override
        public String toString() {
            return kind + " (" + (value == null ? "null" : value.length + " bytes") + ")";
        }
    }

    private static final List<String> KINDS = List.of("unsigned", "other-key", "tampered", "garbage-signature",
            "other-attempt", "truncated", "not-json", "tombstone", "unknown-type", "run-id", "event-id", "attempt",
            "schema-version", "missing-field", "deep", "invalid-utf8", "oversize");

    private HostileRecords() {
    }

    /** {@code count} hostile records made from {@code valid}, every kind at least once when count allows. */
    public static List<Hostile> generate(SavepointEvent valid, long seed, int count) {
        List<Hostile> out = new ArrayList<>();
        RestFuzz.inSession(seed, () -> out.addAll(generateInSession(valid, seed, count)));
        return out;
    }

    private static List<Hostile> generateInSession(SavepointEvent valid, long seed, int count) {
        Random random = new Random(seed);
        RandomGenerator<String> strings = HostileValues.strings().generator(1000, true);
        List<Hostile> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String kind = i < KINDS.size() ? KINDS.get(i) : KINDS.get(random.nextInt(KINDS.size()));
            out.add(make(kind, valid, random, () -> strings.next(random).value()));
        }
        return out;
    }

    private static Hostile make(String kind, SavepointEvent valid, Random random,
            java.util.function.Supplier<String> hostile) {
        EventSignatures k = KafkaTestClient.signatures();
        byte[] value = Json.write(valid);
        return switch (kind) {
            case "unsigned" -> new Hostile(kind, value, List.of());
            case "other-key" -> signed(kind, value, new EventSignatures("not the services' key ".repeat(3))
                    .signAsService(value));
            case "tampered" -> new Hostile(kind, (new String(value, StandardCharsets.UTF_8) + " ")
                    .getBytes(StandardCharsets.UTF_8), header(k.sign(valid, value)));
            case "garbage-signature" -> signed(kind, value, pick(random, "", "service", "attempt ", "service !!",
                    "attempt \0", hostile.get()));
            case "other-attempt" -> signed(kind, value, EventSignatures.signAsAttempt(
                    k.attemptSecret(valid.runId(), valid.attempt() + 1 + random.nextInt(5)), value));
            case "truncated" -> service(kind, Arrays.copyOf(value, 1 + random.nextInt(value.length - 1)));
            case "not-json" -> service(kind, pick(random, "{", "null", "[]", "1", "\"x\"", "{}", "{\"type\":null}",
                    "{not json", hostile.get() + "{").getBytes(StandardCharsets.UTF_8));
            case "tombstone" -> new Hostile(kind, null, List.of());
            case "unknown-type" -> field(kind, valid, t -> t.put("type", "No" + Math.abs(hostile.get().hashCode())));
            case "run-id" -> field(kind, valid, t -> t.put("runId", pick(random, "", "../" + valid.runId(), "a/b",
                    ".hidden", "x".repeat(129), "a\0b", valid.runId() + "\n", "\uD83D\uDE00")));
            case "event-id" -> field(kind, valid, t -> t.put("id", pick(random, "", " ", "x".repeat(65), "a\0b")));
            case "attempt" -> field(kind, valid, t -> {
                switch (random.nextInt(4)) {
                    case 0 -> t.put("attempt", 0);
                    case 1 -> t.put("attempt", -1);
                    case 2 -> t.put("attempt", "one");
                    default -> t.putArray("attempt");
                }
            });
            case "schema-version" -> field(kind, valid, t -> t.put("schemaVersion",
                    SavepointEvent.SCHEMA_VERSION + 1 + random.nextInt(100)));
            case "missing-field" -> field(kind, valid, t -> t.remove(pick(random, "runId", "type", "attempt")));
            case "deep" -> service(kind, (value.length > 1 ? new String(value, 0, value.length - 1,
                    StandardCharsets.UTF_8) : "{") + ",\"x\":" + "[".repeat(2000) + "]".repeat(2000) + "}");
            case "invalid-utf8" -> {
                byte[] copy = value.clone();
                copy[copy.length / 2] = (byte) 0xC0;
                yield service(kind, copy);
            }
            case "oversize" -> field(kind, valid, t -> t.put("padding", "p".repeat(Failures.MAX_EVENT_BYTES)));
            default -> throw new IllegalArgumentException("unknown kind " + kind);
        };
    }

    /** Sends the records to {@code topic} under {@code key}, in order; returns the offset of each. */
    public static List<Long> sendBurst(String topic, String key, List<Hostile> records) {
        List<Long> offsets = new ArrayList<>();
        for (Hostile h : records) {
            RecordMetadata at = KafkaTestClient.sendUnsigned(topic, key, h.value(), h.headers());
            offsets.add(at.offset());
        }
        return offsets;
    }

    /**
     * The classified refusal a reason states: contracts' UnreadableRecordException or SignatureException, never a
     * failure from deeper in the service (which would mean the hostile record reached its processing).
     */
    public static boolean isRefusal(String reason) {
        return reason != null && reason.matches("(?s).*@[0-9]+ is (unreadable|refused): .+");
    }

    /**
     * Waits until the DLQ twin holds every one of the records sent (by their offsets) under {@code key}, each with a
     * reason; returns the reasons by offset.
     */
    public static Map<Long, String> awaitParked(TopicTail dlq, String topic, String key, List<Long> offsets,
            Duration timeout) {
        Set<Long> wanted = new TreeSet<>(offsets);
        KafkaTestClient.await(timeout, wanted.size() + " dead letters of " + topic, () ->
                parked(dlq, topic, key).keySet().containsAll(wanted));
        Map<Long, String> reasons = new TreeMap<>(parked(dlq, topic, key));
        reasons.keySet().retainAll(wanted);
        return reasons;
    }

    /** The dead letters in {@code dlq} so far of records read from {@code topic} under {@code key}: reason by offset. */
    public static Map<Long, String> parked(TopicTail dlq, String topic, String key) {
        Map<Long, String> reasons = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : dlq.records()) {
            Header from = r.headers().lastHeader(DeadLetters.TOPIC_HEADER);
            Header offset = r.headers().lastHeader(DeadLetters.OFFSET_HEADER);
            if (key.equals(r.key()) && from != null && offset != null
                    && topic.equals(new String(from.value(), StandardCharsets.UTF_8))) {
                reasons.put(Long.parseLong(new String(offset.value(), StandardCharsets.UTF_8)),
                        DeadLetters.reason(r).orElse(""));
            }
        }
        return reasons;
    }

    private static Hostile field(String kind, SavepointEvent valid, java.util.function.Consumer<ObjectNode> change) {
        ObjectNode tree = Json.mapper().valueToTree(valid);
        change.accept(tree);
        return service(kind, tree.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Hostile service(String kind, String value) {
        return service(kind, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Signed correctly with the services' key: refused only for what it says. */
    private static Hostile service(String kind, byte[] value) {
        return signed(kind, value, KafkaTestClient.signatures().signAsService(value));
    }

    private static Hostile signed(String kind, byte[] value, String signature) {
        return new Hostile(kind, value, header(signature));
    }

    private static List<Header> header(String signature) {
        return List.of(new RecordHeader(EventSignatures.HEADER, signature.getBytes(StandardCharsets.UTF_8)));
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... options) {
        return options[random.nextInt(options.length)];
    }
}
