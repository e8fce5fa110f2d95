package dev.savepoint.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.contracts.events.AttemptExit;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.CancelAttempt;
import dev.savepoint.contracts.events.CheckpointCommitted;
import dev.savepoint.contracts.events.CheckpointCorrupt;
import dev.savepoint.contracts.events.CheckpointDeleted;
import dev.savepoint.contracts.events.CheckpointRejected;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.events.Heartbeat;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.contracts.events.RejectReason;
import dev.savepoint.contracts.events.SavepointEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Assertions;

/**
 * Random mutations of a valid event of every type (fields removed, wrong types, nulls, huge and unicode strings,
 * huge numbers, unknown and hostile types and run ids, wrong schemaVersion, deep nesting, truncated or flipped bytes):
 * reading it ({@link Failures#readable}) and verifying it ({@link EventSignatures#verify}) either yield a valid event
 * or refuse it with the classified exception and a reason, never anything else.
 */
class EventDecodingPropertiesTest {

    private static final EventSignatures K = new EventSignatures("k".repeat(EventSignatures.MIN_KEY_LENGTH));
    private static final String SHA = "0".repeat(64);
    /** Stands for an array nested 3,000 deep (the parser refuses more than 1,000). */
    private static final String DEEP = "<deep>";

    static List<SavepointEvent> samples() {
        String run = "run-1a2b3c4d";
        String ck = "0f8fad5b-d9cb-469f-a165-70867728950e";
        var spec = SpecFixtures.demo();
        return List.of(
                AttemptStarted.of(run, 1, spec, ck, 100L, "host", 42L),
                Heartbeat.of(run, 1, 10, 1, 100L, 0.01, 0.5, 3.0, 0, 42L, 100L, 5L),
                AttemptFailed.of(run, 2, FailureReason.values()[0], "boom", 137, "KILL", 10L, "trainer", ck),
                AttemptSucceeded.of(run, 1, 2000, SHA, 0.1, 20, 0),
                CheckpointWritten.of(run, 1, ck, 100, 1, 100L, "savepoint", "runs/" + run + "/" + ck + "/",
                        List.of(new ManifestFile("model.bin", 10, SHA)), Map.of("loss", 0.5)),
                CheckpointCommitted.of(run, 1, ck, 100, 10L),
                CheckpointRejected.of(run, 1, ck, 100L, RejectReason.values()[0], "bad"),
                CheckpointDeleted.of(run, 1, ck, 100L, true),
                CheckpointCorrupt.of(run, 1, ck, "model.bin", "hash differs"),
                LaunchAttempt.of(run, 1, spec, ck, 100L),
                CancelAttempt.of(run, 1, "user"));
    }

    @Property(tries = 600)
    void readingAMutatedEventYieldsAValidEventOrAnUnreadableRefusal(@ForAll("events") SavepointEvent event,
            @ForAll("mutations") List<Mutation> mutations, @ForAll("bytes") ByteMutation bytes) {
        byte[] value = bytes.apply(mutate(event, mutations));
        ConsumerRecord<String, byte[]> record = record(value, null);
        try {
            assertValid(Failures.readable(record), value);
        } catch (Failures.UnreadableRecordException refused) {
            Assertions.assertTrue(refused.getMessage().contains("is unreadable: "), refused.getMessage());
        }
    }

    @Property(tries = 600)
    void verifyingAMutatedEventYieldsAValidEventOrAClassifiedRefusal(@ForAll("events") SavepointEvent event,
            @ForAll("mutations") List<Mutation> mutations, @ForAll("bytes") ByteMutation bytes,
            @ForAll("signers") Signer signer) {
        byte[] value = bytes.apply(mutate(event, mutations));
        ConsumerRecord<String, byte[]> record = record(value, signer.sign(event, value));
        try {
            assertValid(K.verify(record), value);
            Assertions.assertTrue(signer.genuine(), "a record not signed by K was believed: " + signer);
        } catch (Failures.UnreadableRecordException | EventSignatures.SignatureException refused) {
            Assertions.assertTrue(refused.getMessage().matches("(?s).* is (unreadable|refused): .+"),
                    refused.getMessage());
        }
    }

    private static void assertValid(SavepointEvent event, byte[] value) {
        Assertions.assertNotNull(event, "an event was read as null from " + Ids.printable(new String(value,
                StandardCharsets.UTF_8)));
        String what = event.type() + " " + Ids.printable(Json.writeString(event));
        Assertions.assertTrue(Ids.isRunId(event.runId()), "run id: " + what);
        Assertions.assertTrue(event.attempt() >= 1, "attempt: " + what);
        Assertions.assertTrue(event.schemaVersion() >= 1 && event.schemaVersion() <= SavepointEvent.SCHEMA_VERSION,
                "schemaVersion: " + what);
        Assertions.assertTrue(event.id() != null && !event.id().isBlank() && event.id().length() <= 64
                && event.id().chars().noneMatch(Character::isISOControl), "id: " + what);
        Assertions.assertNotNull(event.occurredAt(), what);
        Assertions.assertTrue(value.length <= Failures.MAX_EVENT_BYTES, "size " + value.length + ": " + event.type());
    }

    private static ConsumerRecord<String, byte[]> record(byte[] value, String signature) {
        RecordHeaders headers = new RecordHeaders();
        if (signature != null) {
            headers.add(new RecordHeader(EventSignatures.HEADER, signature.getBytes(StandardCharsets.UTF_8)));
        }
        return new ConsumerRecord<>("savepoint.runs", 0, 7L, ConsumerRecord.NO_TIMESTAMP, TimestampType.NO_TIMESTAMP_TYPE,
                -1, value == null ? -1 : value.length, "k", value, headers, java.util.Optional.empty());
    }

    private static byte[] mutate(SavepointEvent event, List<Mutation> mutations) {
        ObjectNode tree = Json.mapper().valueToTree(event);
        for (Mutation m : mutations) {
            m.apply(tree);
        }
        // nesting past the parser's limit cannot be written by the tree writer (it has the same limit): spliced in
        return tree.toString().replace("\"" + DEEP + "\"", "[".repeat(3000) + "]".repeat(3000))
                .getBytes(StandardCharsets.UTF_8);
    }

    @Provide
    Arbitrary<SavepointEvent> events() {
        return Arbitraries.of(samples());
    }

    /** One change of the JSON tree: a field (by index into the event's own names, or a new one) gets a value. */
    record Mutation(int field, String newName, JsonNode value, boolean remove) {
        void apply(ObjectNode tree) {
            List<String> names = new ArrayList<>();
            tree.fieldNames().forEachRemaining(names::add);
            String name = newName != null ? newName : names.get(Math.floorMod(field, names.size()));
            if (remove) {
                tree.remove(name);
            } else {
                tree.set(name, value);
            }
        }
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<String> newNames = Arbitraries.oneOf(Arbitraries.of("type", "schemaVersion", "runId", "attempt",
                "id", "spec", "files", "metrics", "step"), Arbitraries.strings().ofMaxLength(12)).injectNull(0.7);
        Arbitrary<Mutation> one = Combinators.combine(Arbitraries.integers().between(0, 40), newNames, values(),
                Arbitraries.of(true, false, false, false)).as(Mutation::new);
        return one.list().ofMinSize(1).ofMaxSize(3);
    }

    static Arbitrary<JsonNode> values() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Arbitrary<JsonNode> strings = hostileStrings().map(f::textNode);
        Arbitrary<JsonNode> numbers = Arbitraries.of(f.numberNode(0), f.numberNode(-1), f.numberNode(1.5),
                f.numberNode(Integer.MAX_VALUE), f.numberNode(Long.MAX_VALUE),
                f.numberNode(new java.math.BigInteger("99999999999999999999999999")),
                f.numberNode(new java.math.BigDecimal("1e400")), f.numberNode(Double.NaN), f.numberNode(2),
                f.numberNode(99));
        Arbitrary<JsonNode> others = Arbitraries.of(f.nullNode(), f.booleanNode(true), f.arrayNode(),
                f.objectNode(), f.arrayNode().add(f.nullNode()), f.objectNode().put("x", 1),
                f.textNode(AttemptFailed.TYPE), f.textNode(LaunchAttempt.TYPE), f.textNode(CheckpointCommitted.TYPE),
                f.textNode("NoSuchEvent"), f.textNode(AttemptExit.values()[0].name()),
                f.arrayNode().add(f.objectNode().put("name", "../x").put("size", 1).put("sha256", SHA)),
                f.objectNode().putNull("loss"), f.textNode(DEEP));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, strings), net.jqwik.api.Tuple.of(3, numbers), net.jqwik.api.Tuple.of(3, others));
    }

    /** Identifiers and text an attacker would try: traversal, NUL and control characters, unicode, huge. */
    static Arbitrary<String> hostileStrings() {
        return Arbitraries.oneOf(
                Arbitraries.of("", " ", "..", "../../etc/passwd", "a/b", "a\\b", "a\0b", "bell\u0007", "\n",
                        ".hidden", "%2e%2e", "é", "\uD83D\uDE00", "\u202Eevil", "x".repeat(128), "x".repeat(129),
                        "\uD800", "null", "1", "-1"),
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.integers().between(1_000, 200_000).map("\u00e9x"::repeat));
    }

    /** What happens to the bytes after the tree was written: nothing, truncated, one byte changed, or no value. */
    record ByteMutation(String kind, double where, int bits) {
        byte[] apply(byte[] value) {
            int at = (int) (where * value.length);
            return switch (kind) {
                case "truncate" -> Arrays.copyOf(value, at);
                case "flip" -> {
                    byte[] copy = value.clone();
                    copy[Math.min(at, copy.length - 1)] ^= (byte) bits;
                    yield copy;
                }
                case "invalid-utf8" -> {
                    byte[] copy = value.clone();
                    copy[Math.min(at, copy.length - 1)] = (byte) 0xC0;
                    yield copy;
                }
                case "tombstone" -> null;
                case "json-null" -> "null".getBytes(StandardCharsets.UTF_8);
                case "oversize" -> {
                    String json = new String(value, StandardCharsets.UTF_8);
                    yield (json.substring(0, json.length() - 1) + ",\"padding\":\""
                            + "p".repeat(Failures.MAX_EVENT_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8);
                }
                default -> value;
            };
        }
    }

    @Provide
    Arbitrary<ByteMutation> bytes() {
        return Combinators.combine(Arbitraries.of("none", "none", "none", "none", "truncate", "flip", "invalid-utf8",
                        "tombstone", "json-null", "oversize"), Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(1, 255)).as(ByteMutation::new);
    }

    /** How the record is signed: as its sender would (K or the attempt's secret), not at all, or wrongly. */
    record Signer(String kind) {
        String sign(SavepointEvent original, byte[] value) {
            if (value == null) {
                return null;
            }
            return switch (kind) {
                case "service" -> K.signAsService(value);
                case "attempt" -> EventSignatures.signAsAttempt(K.attemptSecret(original.runId(),
                        original.attempt()), value);
                case "other-key" -> new EventSignatures("o".repeat(40)).signAsService(value);
                case "garbage" -> "service \u0000not base64";
                case "empty" -> "";
                default -> null;
            };
        }

        boolean genuine() {
            return kind.equals("service") || kind.equals("attempt");
        }
    }

    @Provide
    Arbitrary<Signer> signers() {
        return Arbitraries.of("service", "attempt", "other-key", "garbage", "empty", "unsigned").map(Signer::new);
    }
}
