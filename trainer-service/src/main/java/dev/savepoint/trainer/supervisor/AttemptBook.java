package dev.savepoint.trainer.supervisor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attempts this worker accepted, oldest first, and the newest attempt number seen per run (the fencing token);
 * ended attempts are forgotten after an age so the book stays bounded. The supervisor guards every change and
 * {@link #all}; {@link #find} and {@link #newest} read concurrent maps, so the API and the event consumer never wait
 * for the supervisor's lock (held while it starts a child process).
 */
final class AttemptBook {

    private final Map<String, Attempt> attempts = new LinkedHashMap<>();
    private final Map<String, Attempt> byKey = new ConcurrentHashMap<>();
    private final Map<String, Integer> newestAttempt = new ConcurrentHashMap<>();

    /** Safe without the supervisor's lock. */
    Optional<Attempt> find(String runId, int n) {
        return Optional.ofNullable(byKey.get(key(runId, n)));
    }

    /**
     * The newest attempt number seen for the run, here or on {@code savepoint.runs}, 0 when this worker has none of
     * its attempts (or all were forgotten). Safe without the supervisor's lock.
     */
    int newest(String runId) {
        return newestAttempt.getOrDefault(runId, 0);
    }

    void add(Attempt attempt) {
        attempts.put(key(attempt.runId(), attempt.attempt()), attempt);
        byKey.put(key(attempt.runId(), attempt.attempt()), attempt);
        newestAttempt.merge(attempt.runId(), attempt.attempt(), Math::max);
    }

    /**
     * Attempt {@code n} of a run this worker holds attempts of was seen elsewhere: it fences older launches here too.
     * A run this worker has no attempt of is not recorded (the book stays bounded by its own attempts).
     */
    void seen(String runId, int n) {
        newestAttempt.computeIfPresent(runId, (run, newest) -> Math.max(newest, n));
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
                byKey.remove(key(a.runId(), a.attempt()));
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
