package dev.savepoint.trainer.supervisor;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.trainer.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts one attempt as a child JVM: spec file, class path, RunnerConfig and determinism environment, log file. */
@ApplicationScoped
public class AttemptLauncher {

    static final String MAIN_CLASS = "dev.savepoint.trainer.runner.AttemptMain";

    private final TrainerConfig config;
    private volatile String classPath;

    public AttemptLauncher(TrainerConfig config) {
        this.config = config;
    }

    /** Where the attempt's stdout and stderr go. */
    public Path logFile(String runId, int attempt) {
        return workDir().resolve(runId + "-" + attempt + ".log");
    }

    public Process start(LaunchAttempt command) throws IOException {
        Path dir = Files.createDirectories(workDir());
        Path spec = dir.resolve(command.runId() + "-" + command.attempt() + ".spec.json");
        Files.write(spec, Json.write(command.spec()));
        ProcessBuilder builder = new ProcessBuilder(commandLine(command, spec)).directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(command.runId(), command.attempt()).toFile()));
        builder.environment().putAll(environment());
        return builder.start();
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
        return line;
    }

    /** The variables trainer-runner's RunnerConfig reads, and the native determinism settings. */
    Map<String, String> environment() {
        TrainerConfig.Runner runner = config.runner();
        TrainerConfig.S3 s3 = config.s3();
        return Map.of("SAVEPOINT_KAFKA_BOOTSTRAP", runner.kafkaBootstrap(),
                "SAVEPOINT_S3_ENDPOINT", s3.endpoint(),
                "SAVEPOINT_S3_ACCESS_KEY", s3.accessKey(),
                "SAVEPOINT_S3_SECRET_KEY", s3.secretKey(),
                "SAVEPOINT_S3_BUCKET", s3.bucket(),
                "SAVEPOINT_CHECKPOINT_URL", runner.checkpointServiceUrl(),
                "MKL_CBWR", runner.mklCbwr(),
                "ATEN_CPU_CAPABILITY", runner.atenCpuCapability());
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
