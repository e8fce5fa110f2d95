package dev.savepoint.checkpoint.repository;

import dev.savepoint.checkpoint.Attempt;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Attempts of runs. */
@ApplicationScoped
public class AttemptRepository implements PanacheRepositoryBase<Attempt, Attempt.Key> {

    /** The attempt row, created (state RUNNING, no start yet) when an event names it first. */
    public Attempt findOrCreate(String runId, int attempt) {
        Attempt row = findById(new Attempt.Key(runId, attempt));
        if (row == null) {
            row = new Attempt();
            row.runId = runId;
            row.attempt = attempt;
            row.state = dev.savepoint.checkpoint.RunState.RUNNING;
            persist(row);
        }
        return row;
    }

    public List<Attempt> ofRun(String runId) {
        return list("runId", Sort.ascending("attempt"), runId);
    }
}
