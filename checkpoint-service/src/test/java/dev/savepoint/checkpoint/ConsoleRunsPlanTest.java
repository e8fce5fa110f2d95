package dev.savepoint.checkpoint;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.checkpoint.repository.ConsoleRepository;
import dev.savepoint.checkpoint.repository.ConsoleRepository.Cursor;
import dev.savepoint.checkpoint.repository.ConsoleRepository.RunFilter;
import dev.savepoint.checkpoint.support.CatalogRows;
import dev.savepoint.stack.SavepointStackResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The runs list's keyset pages are served by the indexes: EXPLAIN of the page query itself (ConsoleRepository.plan)
 * on real PostgreSQL with 10,000 more runs, analyzed, walks runs_newest (or runs_state_newest for a state) and never
 * reads the whole runs table. With LIMIT 50 over 10,000+ rows the planner's choice is stable: a sequential scan
 * would have to read and sort every row.
 */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class ConsoleRunsPlanTest {

    private static final int RUNS = 10_000;

    @Inject
    AgroalDataSource db;
    @Inject
    ConsoleRepository queries;

    @Test
    @Transactional
    void pagesOfTenThousandRunsUseTheNewestFirstIndexesNotASequentialScan() {
        String tag = "plan-" + UUID.randomUUID().toString().substring(0, 8);
        CatalogRows rows = new CatalogRows(db);
        rows.sql("insert into runs (run_id, name, state, current_attempt, current_step, created_at, updated_at) "
                + "select ? || '-' || g, 'plan', case when g % 10 = 0 then 'FAILED' else 'RUNNING' end, 1, g, "
                + "now() - g * interval '1 second', now() from generate_series(1, ?) g", tag, RUNS);
        rows.sql("analyze runs");
        try {
            String first = queries.plan(new RunFilter(null, null), null, 50);
            String later = queries.plan(new RunFilter(null, null), new Cursor(Instant.now().minusSeconds(5_000),
                    tag + "-5000"), 50);
            String failed = queries.plan(new RunFilter(null, "FAILED"), new Cursor(Instant.now().minusSeconds(
                    5_000), tag + "-5000"), 50);
            String text = queries.plan(new RunFilter(tag, null), null, 50);
            System.out.printf("PLAN first page:%n%s%nPLAN after a cursor:%n%s%nPLAN state FAILED after a cursor:%n%s"
                    + "%nPLAN name filter (printed, not asserted):%n%s%n", first, later, failed, text);

            assertTrue(first.contains("Index Scan using runs_newest on runs r"), first);
            assertTrue(later.contains("Index Scan using runs_newest on runs r"), later);
            assertTrue(later.contains("Index Cond: (ROW(created_at, run_id) <"), "the cursor bounds the index "
                    + "scan, no offset:\n" + later);
            assertTrue(failed.contains("Index Scan using runs_state_newest on runs r"), failed);
            assertTrue(failed.contains("Index Cond: ((state = 'FAILED'::text) AND (ROW(created_at, run_id) <"),
                    failed);
            for (String plan : new String[] {first, later, failed}) {
                assertFalse(plan.contains("Seq Scan on runs"), plan);
                // per-row subplans may sort their few rows (a run's newest attempt); the runs themselves are not sorted
                assertFalse(plan.contains("Sort Key: r."), "the index gives the order:\n" + plan);
            }
        } finally {
            rows.sql("delete from runs where run_id like ? || '-%'", tag);
        }
    }
}
