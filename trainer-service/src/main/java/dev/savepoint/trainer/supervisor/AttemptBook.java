package dev.savepoint.trainer.supervisor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The attempts this worker accepted, oldest first, and the newest attempt number seen per run (the fencing token);
 * ended attempts are forgotten after an age so the book stays bounded. Not thread-safe: the supervisor guards it.
 */
final class AttemptBook {

    private final Map<String, Attempt> attempts = new LinkedHashMap<>();
    private final Map<String, Integer> newestAttempt = new HashMap<>();

    Optional<Attempt> find(String runId, int n) {
        return Optional.ofNullable(attempts.get(key(runId, n)));
    }

    /** The newest attempt number seen for the run, 0 when none (or when all of its attempts were forgotten). */
    int newest(String runId) {
        return newestAttempt.getOrDefault(runId, 0);
    }

    void add(Attempt attempt) {
        attempts.put(key(attempt.runId(), attempt.attempt()), attempt);
        newestAttempt.merge(attempt.runId(), attempt.attempt(), Math::max);
    }

    Collection<Attempt> all() {
        return attempts.values();
    }

    /**
     * Removes the attempts that ended before {@code cutoff} and returns them; a run none of whose attempts remain
     * loses its fencing entry too (a launch that late is dropped as stale by the command consumer anyway).
     */
    List<Attempt> forgetEndedBefore(Instant cutoff) {
        List<Attempt> forgotten = new ArrayList<>();
        attempts.values().removeIf(a -> {
            Instant ended = a.endedAt();
            boolean old = a.state().terminal() && ended != null && ended.isBefore(cutoff);
            if (old) {
                forgotten.add(a);
            }
            return old;
        });
        forgotten.stream().map(Attempt::runId).distinct()
                .filter(run -> attempts.values().stream().noneMatch(a -> a.runId().equals(run)))
                .forEach(newestAttempt::remove);
        return forgotten;
    }

    private static String key(String runId, int n) {
        return runId + "/" + n;
    }
}
