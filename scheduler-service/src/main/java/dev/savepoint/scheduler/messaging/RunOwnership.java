package dev.savepoint.scheduler.messaging;

import dev.savepoint.contracts.Topics;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.jboss.logging.Logger;

/**
 * Which runs this replica decides on its own: those whose events it reads, that is whose {@code savepoint.runs}
 * partition (the key is the run id, placed by Kafka's default partitioner) the consumer group gave to this replica.
 * With several replicas only the owner of a run judges its lease and launches it when its backoff is over: another
 * replica does not see its heartbeats, and would take a healthy attempt for dead. Kept by the consumer's rebalance
 * callbacks (channel {@code runs}): a revoked partition is given up before it can be given to another replica, and
 * before the first assignment this replica owns nothing. Requests (submit, cancel) and the events a replica reads are
 * handled wherever they arrive, under the run's row lock.
 */
@ApplicationScoped
@Default
@Identifier(RunOwnership.NAME)
public class RunOwnership implements KafkaConsumerRebalanceListener {

    public static final String NAME = "scheduler-runs-ownership";
    private static final Logger LOG = Logger.getLogger(RunOwnership.class);

    private record Owned(int partitions, Set<Integer> mine) {
    }

    private volatile Owned owned = new Owned(0, Set.of());

    /** Whether this replica reads the partition of {@code savepoint.runs} that holds the run's events. */
    public boolean owns(String runId) {
        Owned o = owned;
        return o.partitions > 0 && o.mine.contains(partitionOf(runId, o.partitions));
    }

    /** The partition Kafka's default partitioner gives a record keyed by this run id. */
    public static int partitionOf(String runId, int partitions) {
        return Utils.toPositive(Utils.murmur2(runId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        int count = consumer.partitionsFor(Topics.RUNS).size();
        set(count, consumer.assignment(), Set.of());
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        set(owned.partitions, consumer.assignment(), partitions);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        onPartitionsRevoked(consumer, partitions);
    }

    private void set(int partitions, Collection<TopicPartition> assigned, Collection<TopicPartition> leaving) {
        Set<Integer> mine = new HashSet<>();
        assigned.stream().filter(p -> p.topic().equals(Topics.RUNS) && !leaving.contains(p))
                .forEach(p -> mine.add(p.partition()));
        owned = new Owned(partitions, Set.copyOf(mine));
        LOG.infof("this replica owns the runs of partitions %s of %s (%d partitions)", mine, Topics.RUNS, partitions);
    }
}
