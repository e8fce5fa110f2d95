package dev.savepoint.scheduler.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.scheduler.domain.ProcessedEvent;
import dev.savepoint.scheduler.repository.ProcessedEventRepository;
import dev.savepoint.stack.SavepointStackResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Bounded state: applied event ids older than the retention leave the real database, newer ones stay. */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class ProcessedEventPruningTest {

    @Inject
    ProcessedEventPruner pruner;
    @Inject
    ProcessedEventRepository processed;

    private String record(Instant appliedAt) {
        String id = UUID.randomUUID().toString();
        QuarkusTransaction.requiringNew().run(() -> {
            ProcessedEvent e = new ProcessedEvent();
            e.eventId = id;
            e.processedAt = appliedAt;
            processed.persist(e);
        });
        return id;
    }

    private boolean remembered(String id) {
        return QuarkusTransaction.requiringNew().call(() -> processed.findByIdOptional(id).isPresent());
    }

    @Test
    void idsOlderThanTheRetentionArePrunedInBatchesAndRecentOnesStay() {
        Instant now = Instant.now();
        List<String> old = List.of(record(now.minus(Duration.ofDays(30))), record(now.minus(Duration.ofDays(20))),
                record(now.minus(Duration.ofDays(15))));
        String recent = record(now.minus(Duration.ofDays(1)));
        String fresh = record(now);

        int pruned = pruner.prune(now.minus(Duration.ofDays(14)), 2); // 3 old ids: two batches

        assertTrue(pruned >= 3, "at least this test's 3 old ids are pruned, got " + pruned);
        old.forEach(id -> assertFalse(remembered(id), "old id " + id + " is pruned"));
        assertTrue(remembered(recent), "an id inside the retention stays");
        assertTrue(remembered(fresh), "a fresh id stays");
    }
}
