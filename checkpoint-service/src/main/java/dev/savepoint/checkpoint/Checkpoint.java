package dev.savepoint.checkpoint;

import dev.savepoint.checkpoint.retention.CheckpointState;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.ColumnTransformer;

/** One checkpoint in the catalog: where its objects are, what they hash to, and where it is in its lifecycle. */
@Entity
@Table(name = "checkpoints")
public class Checkpoint {

    @Id
    public String id;
    @Column(name = "run_id")
    public String runId;
    public long step;
    public Integer epoch;
    public int attempt;
    public String bucket;
    public String prefix;
    @Enumerated(EnumType.STRING)
    public CheckpointState state;
    @Convert(converter = JsonColumns.MetricsConverter.class)
    @ColumnTransformer(write = "?::jsonb")
    public Map<String, Double> metrics = Map.of();
    @Convert(converter = JsonColumns.FilesConverter.class)
    @ColumnTransformer(write = "?::jsonb")
    public List<ManifestFile> files = List.of();
    @Column(name = "total_bytes")
    public long totalBytes;
    public boolean pinned;
    @Column(name = "reject_reason")
    public String rejectReason;
    public String message;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "committed_at")
    public Instant committedAt;
    /** SHA-256 of the parameters in a built-in checkpoint's model file, computed here when it was verified. */
    @Column(name = "params_sha256")
    public String paramsSha256;
    @Column(name = "deleted_at")
    public Instant deletedAt;

    /** Every object key of this checkpoint, the manifest first: deleting it first un-publishes the checkpoint. */
    public List<String> objectKeys() {
        List<String> keys = new ArrayList<>();
        keys.add(prefix + CheckpointManifest.FILE_NAME);
        files.forEach(f -> keys.add(prefix + f.name()));
        return keys;
    }
}
