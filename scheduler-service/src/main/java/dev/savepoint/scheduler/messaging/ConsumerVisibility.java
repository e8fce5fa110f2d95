package dev.savepoint.scheduler.messaging;

import dev.savepoint.contracts.Failures;
import dev.savepoint.scheduler.config.SchedulerConfig;
import dev.savepoint.scheduler.service.Visibility;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What the scheduler's consumer of {@code savepoint.runs} (channel {@code runs}) has seen ({@link Visibility}): the
 * consumer reports every record it processed, and on every tick a probe reads, with a Kafka admin client and short
 * timeouts (never inside a transaction), the end offsets of the partitions assigned to the consumer, and the group's
 * committed offsets as the baseline of partitions nothing was processed of yet. Exposed as Prometheus gauges
 * ({@code savepoint_scheduler_visibility_caught_up}, {@code savepoint_scheduler_visibility_horizon_age_seconds}) and in
 * the readiness check's data ({@link VisibilityHealth}); transitions are logged once each.
 */
@ApplicationScoped
public class ConsumerVisibility {

    private final KafkaClientService clients;
    private final Map<String, Object> kafka;
    private final String group;
    private final Duration timeout;
    private final Visibility visibility;
    private Admin admin;

    public ConsumerVisibility(KafkaClientService clients, SchedulerConfig config, MeterRegistry metrics,
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "mp.messaging.incoming.runs.group.id") String group) {
        this.clients = clients;
        this.kafka = Map.copyOf(kafka);
        this.group = group;
        this.timeout = config.probeTimeout();
        this.visibility = new Visibility(config.lagTolerance(), Instant.now());
        Gauge.builder("savepoint.scheduler.visibility.caught_up", this, v -> v.snapshot().caughtUp() ? 1 : 0)
                .description("1 while the scheduler has read savepoint.runs up to the broker's end offsets and judges "
                        + "leases, 0 while it is blind (starting, lagging or disconnected)")
                .register(metrics);
        Gauge.builder("savepoint.scheduler.visibility.horizon.age.seconds", this, v -> {
            Instant h = v.snapshot().horizon();
            return h == null ? Double.NaN : Duration.between(h, Instant.now()).toMillis() / 1000.0;
        }).description("How long ago the newest probe of savepoint.runs that the scheduler has read up to was made")
                .register(metrics);
    }

    /** The consumer applied the record, or parked it in the .dlq as unreadable. */
    public void processed(ConsumerRecord<?, ?> record) {
        visibility.processed(new TopicPartition(record.topic(), record.partition()), record.offset(), Instant.now());
    }

    public Visibility.Snapshot snapshot() {
        return visibility.snapshot(Instant.now());
    }

    /** Reads the end offsets of the consumer's partitions; a failure leaves the scheduler blind until the next. */
    @Scheduled(every = "${savepoint.scheduler.tick:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void probe() {
        Instant at = Instant.now();
        try {
            KafkaConsumer<Object, Object> consumer = clients.getConsumer("runs");
            if (consumer == null) {
                visibility.probeFailed(at, "the consumer of savepoint.runs is not running");
                return;
            }
            Set<TopicPartition> assigned = consumer.getAssignments().await().atMost(timeout);
            if (assigned.isEmpty()) {
                visibility.probeFailed(at, "no partition of savepoint.runs is assigned to the consumer");
                return;
            }
            Map<TopicPartition, Long> ends = offsets(assigned, OffsetSpec.latest());
            Map<TopicPartition, Long> baselines = baselines(visibility.withoutBaseline(assigned));
            visibility.probed(at, ends, baselines, Instant.now());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            visibility.probeFailed(at, Failures.describe(e));
        }
    }

    /** The group's committed offsets; the earliest offset for a partition the group never committed. */
    private Map<TopicPartition, Long> baselines(Set<TopicPartition> partitions) throws Exception {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetAndMetadata> committed = admin().listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> baselines = new HashMap<>();
        Set<TopicPartition> never = partitions.stream()
                .filter(p -> committed.get(p) == null).collect(Collectors.toSet());
        partitions.stream().filter(p -> committed.get(p) != null)
                .forEach(p -> baselines.put(p, committed.get(p).offset()));
        if (!never.isEmpty()) {
            baselines.putAll(offsets(never, OffsetSpec.earliest()));
        }
        return baselines;
    }

    private Map<TopicPartition, Long> offsets(Set<TopicPartition> partitions, OffsetSpec spec) throws Exception {
        ListOffsetsResult result = admin().listOffsets(partitions.stream()
                .collect(Collectors.toMap(Function.identity(), p -> spec)));
        return result.all().get(timeout.toMillis(), TimeUnit.MILLISECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private synchronized Admin admin() {
        if (admin == null) {
            // The service's kafka.* settings: bootstrap servers and its SASL user (security.protocol, sasl.*).
            Properties props = new Properties();
            props.putAll(kafka);
            props.put(AdminClientConfig.CLIENT_ID_CONFIG, "scheduler-visibility");
            props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
            props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
            props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
            admin = Admin.create(props);
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
