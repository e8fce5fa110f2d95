package dev.savepoint.checkpoint;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A hold on a checkpoint by a restore in progress: retention and deletes leave it alone until it expires. */
@Entity
@Table(name = "leases")
public class Lease {

    @Id
    public UUID id;
    @Column(name = "checkpoint_id")
    public String checkpointId;
    public String holder;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "expires_at")
    public Instant expiresAt;
}
