package dev.savepoint.scheduler.flow;

import static dev.savepoint.scheduler.flow.Fixtures.submit;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.AttemptStarted;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.stack.SavepointStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The scheduler decides in its transaction and calls checkpoint-service after the commit (never while it holds the
 * run's row lock), and a corrupt mark that fails is tried again until it is through.
 */
@QuarkusTest
@TestProfile(CallsAfterCommitTest.StubCatalog.class)
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class CallsAfterCommitTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    /** Points the scheduler at the checkpoint-service stub. */
    public static class StubCatalog implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("savepoint.scheduler.checkpoint-service-url", CatalogStub.started().url());
        }
    }

    @Test
    void corruptMarkIsMadeAfterItsDecisionCommittedAndAFailedMarkIsRetried() {
        String runId = submit(Fixtures.spec("corrupt-" + UUID.randomUUID().toString().substring(0, 8), 3, 5));
        String corrupt = runId + "-ck-bad";
        CatalogStub catalog = CatalogStub.started();
        try (FakeWorker worker = new FakeWorker(runId)) {
            await().atMost(DEADLINE).until(() -> worker.commands(LaunchAttempt.class).size() == 1);
            worker.publish(Topics.RUNS, AttemptStarted.of(runId, 1, Json.read(Fixtures.spec("x", 3, 5), RunSpec.class),
                    null, null, "test", 1L));
            worker.publish(Topics.RUNS, AttemptFailed.of(runId, 1, FailureReason.CHECKPOINT_CORRUPT,
                    "hash of model.safetensors differs", 5, null, 40L, "attempt", corrupt));

            await().atMost(DEADLINE).until(() -> worker.commands(LaunchAttempt.class).size() == 2);
            assertEquals("latest", worker.commands(LaunchAttempt.class).get(1).resumeFromCheckpointId(),
                    "attempt 2 leases the newest committed checkpoint itself");
            await().atMost(DEADLINE).until(() -> catalog.calls("corrupt", corrupt).size() == 2);
            List<CatalogStub.Call> marks = catalog.calls("corrupt", corrupt);
            assertEquals(List.of(503, 200), marks.stream().map(CatalogStub.Call::status).toList());
            marks.forEach(m -> assertEquals("FAILED CHECKPOINT_CORRUPT", m.detail(),
                    "the failure was committed before checkpoint-service was told"));
            assertEquals(List.of(), catalog.calls("latest", runId), "no resume point is picked at failure time");
        }
    }
}
