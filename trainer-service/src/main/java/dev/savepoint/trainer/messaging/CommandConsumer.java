package dev.savepoint.trainer.messaging;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.events.CancelAttempt;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.contracts.events.SavepointEvent;
import dev.savepoint.trainer.config.TrainerConfig;
import dev.savepoint.trainer.supervisor.AttemptSupervisor;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code savepoint.commands}: LaunchAttempt and CancelAttempt go to the supervisor; a record that cannot be
 * processed goes to {@code savepoint.commands.dlq} with the reason, and the partition goes on.
 */
@ApplicationScoped
public class CommandConsumer {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(CommandConsumer.class);

    /** The run ids an attempt process accepts (they also name its files). */
    static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final AttemptSupervisor supervisor;
    private final EventPublisher publisher;
    private final TrainerConfig config;

    public CommandConsumer(AttemptSupervisor supervisor, EventPublisher publisher, TrainerConfig config) {
        this.supervisor = supervisor;
        this.publisher = publisher;
        this.config = config;
    }

    @Incoming("commands")
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        if (!forThisDeployment(record.key())) {
            return;
        }
        SavepointEvent event;
        try {
            event = Json.event(record.value() == null ? new byte[0] : record.value());
        } catch (RuntimeException e) {
            publisher.deadLetter(record, "poison record: " + e.getMessage());
            return;
        }
        try {
            handle(record, event);
        } catch (RuntimeException e) {
            publisher.deadLetter(record, "processing " + event.type() + " " + event.id() + " failed: " + e);
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record, SavepointEvent event) {
        if (event instanceof LaunchAttempt launch) {
            if (!RUN_ID.matcher(launch.runId()).matches()) {
                publisher.deadLetter(record, "run id '" + launch.runId() + "' cannot be launched: it must be 1-128 "
                        + "letters, digits, '.', '_' or '-', starting with a letter or digit");
                return;
            }
            if (launch.occurredAt().isBefore(java.time.Instant.now().minus(config.commands().maxLaunchAge()))) {
                LOG.infof("dropping stale launch of run %s attempt %d from %s (older than %s)", launch.runId(),
                        launch.attempt(), launch.occurredAt(), config.commands().maxLaunchAge());
                return;
            }
            supervisor.launch(launch);
        } else if (event instanceof CancelAttempt cancel) {
            supervisor.cancel(cancel.runId(), cancel.attempt(), cancel.reason());
        } else {
            publisher.deadLetter(record, "savepoint.commands carries LaunchAttempt and CancelAttempt, not "
                    + event.type());
        }
    }

    private boolean forThisDeployment(String runId) {
        return config.commands().runIdPrefix().map(p -> runId != null && runId.startsWith(p)).orElse(true);
    }
}
