package dev.savepoint.checkpoint.service;

import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.checkpoint.repository.CheckpointRepository;
import dev.savepoint.checkpoint.retention.CheckpointState;
import dev.savepoint.checkpoint.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Removes checkpoint objects that no committed (or still deleting) row refers to, once they are older than the
 * grace period: leftovers of rejected or crashed writes, and of deletions interrupted mid-way.
 */
@ApplicationScoped
public class Sweeper {

    private static final Logger LOG = Logger.getLogger(Sweeper.class);
    private static final Pattern CHECKPOINT_FOLDER = Pattern.compile("^(runs/[^/]+/checkpoints/[^/]+/).+");
    private static final Set<CheckpointState> LIVE = Set.of(CheckpointState.COMMITTED, CheckpointState.DELETING,
            CheckpointState.PARTIALLY_DELETED);

    private final ObjectStore store;
    private final CheckpointRepository checkpoints;
    private final CheckpointConfig config;
    private final CatalogMetrics metrics;

    public Sweeper(ObjectStore store, CheckpointRepository checkpoints, CheckpointConfig config,
            CatalogMetrics metrics) {
        this.store = store;
        this.checkpoints = checkpoints;
        this.config = config;
        this.metrics = metrics;
    }

    /** Sweeps every checkpoint folder under the key prefix; returns how many objects it deleted. */
    public int sweep(String keyPrefix) {
        String bucket = config.s3().bucket();
        Instant cutoff = Instant.now().minus(config.sweeper().grace());
        Map<String, List<ObjectStore.StoredObject>> byFolder = store.list(bucket, keyPrefix).stream()
                .filter(o -> CHECKPOINT_FOLDER.matcher(o.key()).matches())
                .collect(Collectors.groupingBy(o -> folderOf(o.key())));
        Set<String> live = livePrefixes(byFolder.keySet());
        int deleted = 0;
        for (var folder : byFolder.entrySet()) {
            if (live.contains(folder.getKey())) {
                continue;
            }
            for (ObjectStore.StoredObject object : folder.getValue()) {
                if (object.lastModified().isBefore(cutoff)) {
                    store.delete(bucket, object.key());
                    deleted++;
                }
            }
        }
        if (deleted > 0) {
            LOG.infof("sweeper deleted %d orphan objects under %s", deleted, keyPrefix);
            metrics.swept(deleted);
        }
        return deleted;
    }

    /** Which of these folders a live row refers to (ArC intercepts this self-call, so it runs in a transaction). */
    @Transactional
    public Set<String> livePrefixes(Set<String> prefixes) {
        return checkpoints.prefixesInStates(prefixes, LIVE);
    }

    private static String folderOf(String key) {
        Matcher m = CHECKPOINT_FOLDER.matcher(key);
        m.matches();
        return m.group(1);
    }
}
