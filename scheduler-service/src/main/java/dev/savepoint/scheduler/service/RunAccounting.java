package dev.savepoint.scheduler.service;

import dev.savepoint.scheduler.domain.AttemptEntity;
import dev.savepoint.scheduler.domain.AttemptState;
import dev.savepoint.scheduler.domain.RunEntity;
import dev.savepoint.scheduler.domain.TransitionEntity;
import dev.savepoint.scheduler.repository.AttemptRepository;
import dev.savepoint.scheduler.repository.TransitionRepository;
import dev.savepoint.scheduler.run.Goodput;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads what {@link Goodput} needs about runs (their attempts, and when they stopped and were resumed: the
 * transitions into and out of SUCCEEDED, GAVE_UP and CANCELLED), two queries for any number of runs.
 */
@ApplicationScoped
public class RunAccounting {

    private final AttemptRepository attempts;
    private final TransitionRepository transitions;

    public RunAccounting(AttemptRepository attempts, TransitionRepository transitions) {
        this.attempts = attempts;
        this.transitions = transitions;
    }

    /** The accounts of these runs as of {@code now}, by run id. */
    @Transactional
    public Map<String, Goodput.RunAccount> of(Collection<RunEntity> runs, Instant now) {
        if (runs.isEmpty()) {
            return Map.of();
        }
        List<String> ids = runs.stream().map(r -> r.runId).toList();
        Map<String, List<AttemptEntity>> attemptsByRun = attempts.ofRuns(ids).stream()
                .collect(Collectors.groupingBy(AttemptEntity::runId));
        Map<String, List<TransitionEntity>> stopsByRun = transitions.stopsAndResumes(ids).stream()
                .collect(Collectors.groupingBy(t -> t.runId));
        Map<String, Goodput.RunAccount> accounts = new LinkedHashMap<>();
        for (RunEntity run : runs) {
            accounts.put(run.runId, Goodput.of(run.createdAt,
                    attemptsByRun.getOrDefault(run.runId, List.of()).stream().map(RunAccounting::record).toList(),
                    stops(stopsByRun.getOrDefault(run.runId, List.of())), run.newestCommittedStep, now));
        }
        return accounts;
    }

    public Goodput.RunAccount of(RunEntity run, Instant now) {
        return of(List.of(run), now).get(run.runId);
    }

    private static Goodput.AttemptRecord record(AttemptEntity a) {
        boolean unfinished = a.state == AttemptState.FAILED || a.state == AttemptState.CANCELLED;
        return new Goodput.AttemptRecord(a.attempt(), a.launchedAt, a.startedAt, a.state.live() ? null : a.endedAt,
                a.lastHeartbeatAt, a.cause, unfinished, a.resumeStep, a.lastStep, a.caughtUpAt);
    }

    /** Pairs each stop (a move into a terminal state) with the user's resume out of it, if any; in id order. */
    private static List<Goodput.Stop> stops(List<TransitionEntity> moves) {
        List<Goodput.Stop> stops = new ArrayList<>();
        Instant stoppedAt = null;
        for (TransitionEntity t : moves) {
            if (t.toState.terminal()) {
                stoppedAt = t.at;
            } else if (t.fromState.terminal() && stoppedAt != null) {
                stops.add(new Goodput.Stop(stoppedAt, t.at));
                stoppedAt = null;
            }
        }
        if (stoppedAt != null) {
            stops.add(new Goodput.Stop(stoppedAt, null));
        }
        return stops;
    }
}
