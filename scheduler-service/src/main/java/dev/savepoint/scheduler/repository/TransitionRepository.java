package dev.savepoint.scheduler.repository;

import dev.savepoint.scheduler.domain.TransitionEntity;
import dev.savepoint.scheduler.run.RunState;
import dev.savepoint.scheduler.run.Transition;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The transition history of runs. */
@ApplicationScoped
public class TransitionRepository implements PanacheRepository<TransitionEntity> {

    public void record(String runId, List<Transition> transitions) {
        for (Transition t : transitions) {
            TransitionEntity e = new TransitionEntity();
            e.runId = runId;
            e.fromState = t.from();
            e.toState = t.to();
            e.cause = t.cause();
            e.at = t.at();
            persist(e);
        }
    }

    /** The moves of these runs into and out of a terminal state (stops, and a user's resumes), in order. */
    public List<TransitionEntity> stopsAndResumes(List<String> runIds) {
        List<RunState> terminal = List.of(RunState.SUCCEEDED, RunState.GAVE_UP, RunState.CANCELLED);
        return list("runId in ?1 and (toState in ?2 or fromState in ?2) order by id", runIds, terminal);
    }

    public List<TransitionEntity> ofRun(String runId) {
        return list("runId = ?1 order by id", runId);
    }
}
