package dev.savepoint.trainer.supervisor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.contracts.spec.RunSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttemptBookTest {

    static final String SPEC = "{\"name\":\"t\",\"seed\":1,\"maxSteps\":10,\"batchSize\":4,"
            + "\"model\":{\"type\":\"mlp\",\"inputs\":4,\"hidden\":[8],\"outputs\":2},"
            + "\"data\":{\"type\":\"synthetic\",\"samples\":16,\"classes\":2},"
            + "\"optimizer\":{\"type\":\"sgd\",\"lr\":0.1}}";

    static Attempt attempt(String run, int n) {
        return new Attempt(LaunchAttempt.of(run, n, Json.read(SPEC, RunSpec.class), null, null), Path.of(run + ".log"));
    }

    /** The clock's first reading after {@code t} (the clock may read the same instant twice in a row). */
    static Instant after(Instant t) {
        return await().atMost(Duration.ofSeconds(10)).until(Instant::now, now -> now.isAfter(t));
    }

    @Test
    void attemptsThatEndedBeforeTheCutoffAreForgottenAndTheRestKept() {
        AttemptBook book = new AttemptBook();
        Attempt old = attempt("a", 1);
        Attempt running = attempt("b", 1);
        Attempt queued = attempt("c", 1);
        List.of(old, running, queued).forEach(book::add);
        old.ended(AttemptState.SUCCEEDED, 0, "done");
        running.running(null);
        Instant cutoff = after(old.endedAt());
        Attempt recent = attempt("d", 1);
        book.add(recent);
        after(cutoff);
        recent.ended(AttemptState.FAILED, 1, "ended after the cutoff");

        assertEquals(List.of(old), book.forgetEndedBefore(cutoff));
        assertEquals(List.of(running, queued, recent), List.copyOf(book.all()));
        assertTrue(book.find("a", 1).isEmpty());
    }

    @Test
    void aRunKeepsItsFencingEntryWhileAnyOfItsAttemptsIsRemembered() {
        AttemptBook book = new AttemptBook();
        Attempt first = attempt("r", 1);
        Attempt second = attempt("r", 2);
        book.add(first);
        book.add(second);
        first.ended(AttemptState.FAILED, 137, "killed");
        book.forgetEndedBefore(after(first.endedAt()));
        assertEquals(2, book.newest("r"), "attempt 2 is still running: attempt 1 stays fenced");

        second.ended(AttemptState.SUCCEEDED, 0, "done");
        book.forgetEndedBefore(after(second.endedAt()));
        assertEquals(0, book.newest("r"));
    }
}
