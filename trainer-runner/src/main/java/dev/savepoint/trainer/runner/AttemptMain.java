package dev.savepoint.trainer.runner;

import java.time.Duration;
import java.util.List;

/**
 * Entry point of an attempt process ({@code ./savepoint attempt [restore|watch] ...}). On SIGTERM the built-in trainer
 * finishes the current step and writes a final checkpoint, a command run's trainer gets SIGTERM and its complete states
 * are uploaded; either exits with {@code PREEMPTED}. Its last line on success is {@code final-params-sha256=<hex>}.
 */
public final class AttemptMain {

    private AttemptMain() {
    }

    public static void main(String[] argv) {
        AttemptArgs args;
        try {
            args = AttemptArgs.parse(List.of(argv));
        } catch (AttemptArgs.UsageException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println("savepoint attempt: " + e.getMessage());
            }
            System.err.println(AttemptArgs.USAGE);
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        RunnerConfig config = RunnerConfig.fromEnvironment();
        KafkaEventSink events = new KafkaEventSink(config.kafkaClient(),
                System.getenv(dev.savepoint.contracts.runtime.AttemptEnvironment.ATTEMPT_SECRET));
        AttemptRunner runner = new AttemptRunner(args, config, events, new CheckpointStorage(config), System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runner.requestStop();
            try {
                int code = runner.awaitExit(Duration.ofMinutes(5));
                events.close();
                System.out.flush();
                Runtime.getRuntime().halt(code); // keep the attempt's own exit code, not 143
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sigterm"));
        int code = runner.run();
        System.out.flush();
        System.exit(code);
    }
}
