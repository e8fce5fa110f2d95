package dev.savepoint.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.checkpoint.ManifestFile;
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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ContractsJsonTest {

    static final String SHA = "a".repeat(64);

    static Stream<SavepointEvent> everyEventType() {
        var spec = SpecFixtures.demo();
        var files = List.of(new ManifestFile("model.safetensors", 10, SHA));
        return Stream.of(
                AttemptStarted.of("run-1", 1, spec, null, null, "host", 42L),
                Heartbeat.of("run-1", 1, 10, 0, 640L, 0.001, 2.3, 400.0, 0, 42L),
                Heartbeat.of("run-1", 1, 10, 0, 640L, 0.001, 2.3, 400.0, 2, 42L, 5L, 1_200L),
                AttemptFailed.of("run-1", 2, FailureReason.KILLED, "SIGKILL", 137, "KILL", 50L, "trainer-service", null),
                AttemptSucceeded.of("run-1", 3, 600, SHA, 0.1, 6, 0),
                CheckpointWritten.of("run-1", 1, "ck-1", 100, 0, 6400L, "savepoint", "runs/run-1/", files,
                        Map.of("loss", 0.5)),
                CheckpointCommitted.of("run-1", 1, "ck-1", 100, 10L),
                CheckpointRejected.of("run-1", 1, "ck-1", 100L, RejectReason.STALE_ATTEMPT, "attempt 1 < 2"),
                CheckpointDeleted.of("run-1", 1, "ck-1", 100L, true),
                CheckpointCorrupt.of("run-1", 1, "ck-1", "model.safetensors", "hash mismatch"),
                LaunchAttempt.of("run-1", 2, spec, "ck-1", 100L),
                CancelAttempt.of("run-1", 2, "user"));
    }

    @ParameterizedTest
    @MethodSource("everyEventType")
    void everyEventRoundTripsThroughJson(SavepointEvent event) {
        SavepointEvent back = Json.event(Json.write(event));
        assertEquals(event, back);
        assertEquals(event.getClass().getSimpleName(), back.type());
        assertEquals(SavepointEvent.SCHEMA_VERSION, back.schemaVersion());
    }

    @ParameterizedTest
    @MethodSource("everyEventType")
    void unknownFieldsAreIgnored(SavepointEvent event) {
        ObjectNode json = Json.mapper().valueToTree(event);
        json.put("fieldFromTheFuture", "x");
        json.putObject("nestedFromTheFuture").put("a", 1);
        assertEquals(event, Json.event(Json.write(json)));
    }

    @ParameterizedTest
    @MethodSource("everyEventType")
    void missingRunIdIsRejectedNamingTheField(SavepointEvent event) {
        ObjectNode json = Json.mapper().valueToTree(event);
        json.remove("runId");
        var e = assertThrows(Json.InvalidJsonException.class, () -> Json.event(Json.write(json)));
        assertTrue(e.getMessage().contains("runId"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("everyEventType")
    void eventWithoutOptionalEnvelopeFieldsGetsTheirDefaults(SavepointEvent event) {
        ObjectNode json = Json.mapper().valueToTree(event);
        json.remove(List.of("schemaVersion", "occurredAt", "id"));
        SavepointEvent back = Json.event(Json.write(json));
        assertEquals(SavepointEvent.SCHEMA_VERSION, back.schemaVersion());
        assertEquals(event.runId(), back.runId());
        assertTrue(back.id() != null && back.occurredAt() != null);
    }

    @Test
    void missingPayloadFieldIsRejectedNamingTheField() {
        ObjectNode json = Json.mapper().valueToTree(CheckpointCommitted.of("run-1", 1, "ck-1", 100, 10L));
        json.remove("checkpointId");
        var e = assertThrows(Json.InvalidJsonException.class, () -> Json.event(Json.write(json)));
        assertTrue(e.getMessage().contains("checkpointId"), e.getMessage());
    }

    @Test
    void unknownEventTypeIsRejectedNamingTheType() {
        var e = assertThrows(Json.InvalidJsonException.class,
                () -> Json.event("{\"type\":\"Teleported\",\"runId\":\"r\",\"attempt\":1}".getBytes()));
        assertTrue(e.getMessage().contains("Teleported"), e.getMessage());
    }

    @Test
    void heartbeatOfAnOlderProducerWithoutDurableCheckpointFieldsReadsThemAsNull() {
        ObjectNode json = Json.mapper().valueToTree(Heartbeat.of("run-1", 1, 10, 0, 640L, 0.001, 2.3, 400.0, 0, 42L));
        json.remove(List.of("newestDurableStep", "newestDurableAgeMillis"));
        Heartbeat back = assertInstanceOf(Heartbeat.class, Json.event(Json.write(json)));
        assertEquals(null, back.newestDurableStep());
        assertEquals(null, back.newestDurableAgeMillis());
        assertEquals(10, back.step());
    }

    @Test
    void unknownFailureReasonFromANewerProducerReadsAsUnknown() {
        ObjectNode json = Json.mapper().valueToTree(
                AttemptFailed.of("run-1", 1, FailureReason.CRASHED, "x", 1, null, 1L, "attempt", null));
        json.put("reason", "GPU_FELL_OFF");
        assertEquals(FailureReason.UNKNOWN, assertInstanceOf(AttemptFailed.class, Json.event(Json.write(json))).reason());
    }

    @Test
    void manifestRoundTripsAndNamesItsPrefix() {
        var manifest = new CheckpointManifest(0, "ck", "run-1", 2, 300, null,
                List.of(new ManifestFile("model.safetensors", 12, SHA), new ManifestFile("trainer_state.json", 3, SHA)));
        assertEquals(manifest, Json.read(Json.write(manifest), CheckpointManifest.class));
        assertEquals(15, manifest.totalBytes());
        assertEquals("runs/run-1/checkpoints/0000000300-2/", CheckpointManifest.prefix("run-1", 300, 2));
        assertEquals(CheckpointManifest.checkpointId("run-1", 300, 2), CheckpointManifest.checkpointId("run-1", 300, 2));
    }

    @Test
    void manifestFileRejectsAPathThatLeavesTheCheckpoint() {
        var json = "{\"name\":\"../x\",\"size\":1,\"sha256\":\"" + SHA + "\"}";
        var e = assertThrows(Json.InvalidJsonException.class, () -> Json.read(json, ManifestFile.class));
        assertTrue(e.getMessage().contains("name"), e.getMessage());
    }
}
