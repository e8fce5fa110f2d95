package dev.savepoint.trainer.messaging;

import dev.savepoint.contracts.events.CancelAttempt;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.contracts.events.SavepointEvent;
import dev.savepoint.trainer.config.TrainerConfig;
import dev.savepoint.trainer.supervisor.AttemptSupervisor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * What a command does: a LaunchAttempt goes to the supervisor (unless it is stale), a CancelAttempt stops its
 * attempt; a command no worker can carry out is refused with an {@link IllegalArgumentException} naming why, which
 * parks it in the dead-letter topic.
 */
@ApplicationScoped
public class CommandHandler {

    private static final Logger LOG = Logger.getLogger(CommandHandler.class);

    /** The run ids an attempt process accepts (they also name its files). */
    static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final AttemptSupervisor supervisor;
    private final TrainerConfig config;

    @Inject
    public CommandHandler(AttemptSupervisor supervisor, TrainerConfig config) {
        this.supervisor = supervisor;
        this.config = config;
    }

    /** For CDI client proxies of subclasses (test seams); never used to do work. */
    protected CommandHandler() {
        this(null, null);
    }

    public void handle(SavepointEvent command) {
        if (command instanceof LaunchAttempt launch) {
            launch(launch);
        } else if (command instanceof CancelAttempt cancel) {
            supervisor.cancel(cancel.runId(), cancel.attempt(), cancel.reason());
        } else {
            throw new IllegalArgumentException("savepoint.commands carries LaunchAttempt and CancelAttempt, not "
                    + command.type() + " (event " + command.id() + ")");
        }
    }

    private void launch(LaunchAttempt launch) {
        if (!RUN_ID.matcher(launch.runId()).matches()) {
            throw new IllegalArgumentException("run id '" + launch.runId() + "' cannot be launched: it must be 1-128 "
                    + "letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (launch.occurredAt().isBefore(Instant.now().minus(config.commands().maxLaunchAge()))) {
            LOG.infof("dropping stale launch of run %s attempt %d from %s (older than %s)", launch.runId(),
                    launch.attempt(), launch.occurredAt(), config.commands().maxLaunchAge());
            return;
        }
        supervisor.launch(launch);
    }
}
