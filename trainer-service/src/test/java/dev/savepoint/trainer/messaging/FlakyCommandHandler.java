package dev.savepoint.trainer.messaging;

import dev.savepoint.contracts.events.SavepointEvent;
import dev.savepoint.trainer.config.TrainerConfig;
import dev.savepoint.trainer.supervisor.AttemptSupervisor;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Test seam: the real command handler, except that the commands of a run a test arms fail transiently first. */
@Alternative
@Priority(1)
@ApplicationScoped
public class FlakyCommandHandler extends CommandHandler {

    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failuresThrown = new ConcurrentHashMap<>();

    @Inject
    public FlakyCommandHandler(AttemptSupervisor supervisor, TrainerConfig config) {
        super(supervisor, config);
    }

    protected FlakyCommandHandler() {
    }

    /** The next {@code times} commands of this run fail as if a service they need did not answer. */
    public void failNextCommandsOf(String runId, int times) {
        failuresLeft.put(runId, new AtomicInteger(times));
        failuresThrown.put(runId, new AtomicInteger());
    }

    /** How many injected failures of this run's commands were thrown so far. */
    public int failuresThrown(String runId) {
        return failuresThrown.getOrDefault(runId, new AtomicInteger()).get();
    }

    @Override
    public void handle(SavepointEvent command) {
        AtomicInteger left = failuresLeft.get(command.runId());
        if (left != null && left.getAndDecrement() > 0) {
            failuresThrown.get(command.runId()).incrementAndGet();
            throw new UncheckedIOException("injected: a service the command needs did not answer",
                    new ConnectException("Connection refused"));
        }
        super.handle(command);
    }
}
