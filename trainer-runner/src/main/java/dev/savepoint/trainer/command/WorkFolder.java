package dev.savepoint.trainer.command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The work folder of a command attempt, the same locally and on Kubernetes (where it is a volume shared by the
 * restore init container, the trainer container and the watching sidecar): {@code output} is the trainer's
 * {@code {outputDir}}, {@code resume} holds the restored state, {@code resume-args} the substituted resume arguments
 * (one a line), {@code resumed.json} what was restored, {@code trainer.log} the trainer's output, {@code exit-code}
 * its exit code once it ended, {@code command.pid} the trainer's process (and process group) id, {@code stop} a request
 * to stop the trainer (Kubernetes: from the sidecar to the trainer's wrapper).
 */
public record WorkFolder(Path root) {

    public WorkFolder {
        root = root.toAbsolutePath().normalize();
    }

    public Path output() {
        return root.resolve("output");
    }

    public Path resume() {
        return root.resolve("resume");
    }

    public Path resumeArgs() {
        return root.resolve("resume-args");
    }

    public Path resumedJson() {
        return root.resolve("resumed.json");
    }

    public Path trainerLog() {
        return root.resolve("trainer.log");
    }

    public Path exitCode() {
        return root.resolve("exit-code");
    }

    public Path pidFile() {
        return root.resolve("command.pid");
    }

    /** Written by the watching sidecar when the run reached maxSteps: the trainer's wrapper then stops the trainer. */
    public Path stopRequest() {
        return root.resolve("stop");
    }

    public Path spool() {
        return root.resolve("spool");
    }

    /** Empties what an earlier use of this folder left, so the trainer starts with a fresh output folder. */
    public void prepare() throws IOException {
        for (Path p : new Path[] {output(), resume(), spool()}) {
            StateUpload.deleteRecursively(p);
            Files.createDirectories(p);
        }
        for (Path p : new Path[] {resumeArgs(), resumedJson(), trainerLog(), exitCode(), pidFile(),
            stopRequest()}) {
            Files.deleteIfExists(p);
        }
    }
}
