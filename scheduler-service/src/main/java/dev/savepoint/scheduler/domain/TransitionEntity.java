package dev.savepoint.scheduler.domain;

import dev.savepoint.scheduler.run.RunState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One recorded state change of a run, with its time and cause. */
@Entity
@Table(name = "run_transitions")
public class TransitionEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "run_id")
    public String runId;
    @Enumerated(EnumType.STRING)
    @Column(name = "from_state")
    public RunState fromState;
    @Enumerated(EnumType.STRING)
    @Column(name = "to_state")
    public RunState toState;
    public String cause;
    public Instant at;
}
