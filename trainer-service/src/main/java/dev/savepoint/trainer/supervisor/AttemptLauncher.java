package dev.savepoint.trainer.supervisor;

import dev.savepoint.contracts.EventSignatures;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.contracts.runtime.AttemptEnvironment;
import dev.savepoint.trainer.config.TrainerConfig;
import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/** Starts one attempt as a child JVM: spec file, class path, the attempt environment, a size-capped log file. */
@ApplicationScoped
public class AttemptLauncher {

    static final String MAIN_CLASS = "dev.savepoint.trainer.runner.AttemptMain";

    private static final Logger LOG = Logger.getLogger(AttemptLauncher.class);

    private final TrainerConfig config;
    private volatile String classPath;

    private final EventSignatures signatures;

    public AttemptLauncher(TrainerConfig config, EventSignatures signatures) {
        this.config = config;
        this.signatures = signatures;
    }

    /** A started child and the moment its output is all in its log (the pipe closes when the child exits). */
    public record Started(Process process, CompletableFuture<Void> logClosed) {
    }

    /** Where the attempt's stdout and stderr go (rolled over to {@code .log.1} ... at the configured size). */
    public Path logFile(String runId, int attempt) {
        return workDir().resolve(runId + "-" + attempt + ".log");
    }

    public Started start(LaunchAttempt command) throws IOException {
        Path dir = Files.createDirectories(workDir());
        Path spec = specFile(command.runId(), command.attempt());
        Files.write(spec, Json.write(command.spec()));
        ProcessBuilder builder = new ProcessBuilder(commandLine(command, spec)).directory(dir.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(environment(command.runId(), command.attempt()));
        AttemptLog log = new AttemptLog(logFile(command.runId(), command.attempt()),
                config.attempts().logMaxSize().asLongValue(), config.attempts().logBackups());
        Process child = builder.start();
        return new Started(child, log.copyInBackground(child.getInputStream(),
                "attempt-log-" + command.runId() + "-" + command.attempt()));
    }

    /**
     * A command run's work folder ({@code --work}): its trainer's output folder, restored state and process id, beside
     * the attempt's spec and log, and deleted with them when the attempt is forgotten.
     */
    public Path workFolder(String runId, int attempt) {
        return workDir().resolve(runId + "-" + attempt + ".work");
    }

    /** After the attempt process ended, however it ended: no process of its command run's trainer survives it. */
    void killTrainerLeftovers(String runId, int attempt) {
        TrainerGroup.killLeftovers(workFolder(runId, attempt), runId, attempt);
    }

    /** Deletes the spec and log files (and a command run's work folder) of a forgotten attempt. */
    void deleteFiles(String runId, int attempt) {
        deleteRecursively(workFolder(runId, attempt));
        List<Path> files = new ArrayList<>(AttemptLog.files(logFile(runId, attempt), config.attempts().logBackups()));
        files.add(specFile(runId, attempt));
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warnf("could not delete %s of forgotten run %s attempt %d: %s", file, runId, attempt,
                        e.getMessage());
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warnf("could not delete the work folder %s of a forgotten attempt: %s", dir, e.getMessage());
        }
    }

    List<String> commandLine(LaunchAttempt command, Path spec) {
        List<String> line = new ArrayList<>();
        line.add(config.runner().java().map(Path::toString)
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        config.runner().jvmOptions().ifPresent(line::addAll);
        line.addAll(List.of("-cp", classPath(), MAIN_CLASS, "--run", command.runId(),
                "--attempt", Integer.toString(command.attempt()), "--spec", spec.toString()));
        if (command.resumeFromCheckpointId() != null) {
            line.addAll(List.of("--resume-from", command.resumeFromCheckpointId()));
        }
        if (command.spec() != null && command.spec().isCommand()) {
            line.addAll(List.of("--work", workFolder(command.runId(), command.attempt()).toString()));
        }
        return line;
    }

    /**
     * The attempt environment (contracts' AttemptEnvironment, shared with the Kubernetes launcher), with this service
     * as the attempt's supervisor, the attempts' Kafka user and the attempt's own secret to sign its events with.
     */
    Map<String, String> environment(String runId, int attempt) {
        TrainerConfig.S3 s3 = config.s3();
        var endpoints = new AttemptEnvironment.Endpoints(config.runner().kafkaBootstrap(),
                config.runner().checkpointServiceUrl(), s3.endpoint(), s3.bucket());
        return AttemptEnvironment.withCredentials(endpoints, s3.accessKey(), s3.secretKey())
                .withApiToken(config.serviceToken()).supervisedBy(advertisedUrl())
                .withKafkaUser(config.runner().kafkaUser(), config.runner().kafkaPassword())
                .signingWith(signatures.attemptSecret(runId, attempt))
                .withCheckpointTransfer(config.checkpoint().shardSize().asLongValue(),
                        config.checkpoint().partSize().asLongValue(), config.checkpoint().parallelism())
                .processEnvironment();
    }

    /**
     * {@code savepoint.trainer.advertised-url}, else this service on 127.0.0.1 at the port it really serves on (a
     * test's random port included: Quarkus records the bound port in its config once the server is up).
     */
    String advertisedUrl() {
        return config.trainer().advertisedUrl().map(url -> url.replaceAll("/+$", "")).orElseGet(() -> {
            String property = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
            int port = ConfigProvider.getConfig().getOptionalValue(property, Integer.class).orElse(8081);
            return "http://127.0.0.1:" + port;
        });
    }

    private Path specFile(String runId, int attempt) {
        return workDir().resolve(runId + "-" + attempt + ".spec.json");
    }

    /** Absolute, because the child runs in it and gets its spec path. */
    private Path workDir() {
        return config.attempts().workDir().toAbsolutePath();
    }

    private String classPath() {
        String resolved = classPath;
        if (resolved == null) {
            resolved = config.runner().classPath().orElseGet(RunnerClasspath::resolve);
            classPath = resolved;
        }
        return resolved;
    }
}
