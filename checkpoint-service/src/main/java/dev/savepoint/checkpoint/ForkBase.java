package dev.savepoint.checkpoint;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** A run forked from a committed checkpoint: while this row exists, retention and users keep that checkpoint. */
@Entity
@Table(name = "checkpoint_forks")
public class ForkBase {

    /** (checkpoint, child run). */
    @Embeddable
    public record Key(@Column(name = "checkpoint_id") String checkpointId,
            @Column(name = "child_run_id") String childRunId) implements Serializable {
    }

    @EmbeddedId
    public Key id;
    @Column(name = "created_at")
    public Instant createdAt;
}
