package dev.savepoint.scheduler.launch;

import dev.savepoint.contracts.EventSignatures;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.events.CancelAttempt;
import dev.savepoint.contracts.events.SavepointEvent;
import dev.savepoint.scheduler.config.SchedulerConfig;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Launches attempts by sending commands to {@code savepoint.commands}, keyed by run, for trainer-service workers, and
 * asks those workers over their API whether an attempt is alive ({@link TrainerServiceProbe}). Every command is signed
 * with the services' key (contracts' EventSignatures): a worker carries out no command without it.
 */
@ApplicationScoped
@jakarta.enterprise.inject.Typed(KafkaLauncher.class)
public class KafkaLauncher implements Launcher {

    private final MutinyEmitter<byte[]> commands;
    private final TrainerServiceProbe probe;
    private final EventSignatures signatures;

    public KafkaLauncher(@Channel("commands") MutinyEmitter<byte[]> commands, SchedulerConfig config,
            EventSignatures signatures) {
        this.commands = commands;
        this.signatures = signatures;
        this.probe = new TrainerServiceProbe(config.trainerServiceUrls(), config.probeTimeout(), config.serviceToken());
    }

    @Override
    public Liveness probe(String runId, int attempt, String supervisorUrl) {
        return probe.probe(runId, attempt, supervisorUrl);
    }

    @Override
    public void launch(dev.savepoint.contracts.events.LaunchAttempt command) {
        send(command);
    }

    @Override
    public void cancel(String runId, int attempt, String reason) {
        send(CancelAttempt.of(runId, attempt, reason));
    }

    private void send(SavepointEvent command) {
        byte[] value = Json.write(command);
        Message<byte[]> message = Message.of(value).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(command.runId()).withHeaders(signatures.headers(command, value)).build());
        commands.sendMessageAndAwait(message); // acked by the broker (acks=all) before the caller records it as sent
    }
}
