package dev.savepoint.checkpoint;

import dev.savepoint.contracts.spec.RetentionSpec;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/** Read model of a run: its newest attempt (the fencing token), progress, outcome and retention policy. */
@Entity
@Table(name = "runs")
public class Run {

    @Id
    @Column(name = "run_id")
    public String runId;
    public String name;
    @Enumerated(EnumType.STRING)
    public RunState state;
    /** The newest attempt seen in any event; checkpoints of older attempts are rejected. */
    @Column(name = "current_attempt")
    public int currentAttempt;
    @Column(name = "current_step")
    public Long currentStep;
    /** The spec's maxSteps, from the newest AttemptStarted (null before one arrived). */
    @Column(name = "max_steps")
    public Long maxSteps;
    @Column(name = "final_params_sha256")
    public String finalParamsSha256;
    @Convert(converter = JsonColumns.RetentionConverter.class)
    @ColumnTransformer(write = "?::jsonb")
    public RetentionSpec retention;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    /** The run's policy, or the defaults when no AttemptStarted carried a spec yet. */
    public RetentionSpec retentionOrDefault() {
        return retention == null ? RetentionSpec.defaults() : retention;
    }
}
