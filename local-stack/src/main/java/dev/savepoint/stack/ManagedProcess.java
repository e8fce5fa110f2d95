package dev.savepoint.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A background process the stack started: detached from the terminal, logging to {@code logs/NAME.log}, recorded in
 * {@code pids/NAME.pid} with its start time so that {@code down} stops exactly it and never a reused PID.
 */
public final class ManagedProcess {

    private final String name;
    private final StackSettings settings;

    public ManagedProcess(String name, StackSettings settings) {
        this.name = name;
        this.settings = settings;
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return settings.logs().resolve(name + ".log");
    }

    private Path pidFile() {
        return settings.pids().resolve(name + ".pid");
    }

    /** Starts {@code command} in its own session; its output goes to the log file, appended. */
    public ProcessHandle start(List<String> command, Path workDir, Map<String, String> env) {
        List<String> full = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            full.add("/usr/bin/setsid"); // a Ctrl-C on ./savepoint must not reach the stack
        }
        full.addAll(command);
        try {
            Files.createDirectories(settings.logs());
            Files.createDirectories(settings.pids());
            ProcessBuilder pb = new ProcessBuilder(full).directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pb.environment().putAll(env);
            ProcessHandle handle = pb.start().toHandle();
            Instant started = handle.info().startInstant().orElse(Instant.EPOCH);
            Files.writeString(pidFile(), handle.pid() + " " + started.toEpochMilli() + "\n");
            return handle;
        } catch (IOException e) {
            throw new StackException("cannot start " + name + " (" + String.join(" ", command) + "): " + e.getMessage(), e);
        }
    }

    /** The recorded process, if it is still the same one that was started (same PID and start time). */
    public Optional<ProcessHandle> running() {
        try {
            if (!Files.exists(pidFile())) {
                return Optional.empty();
            }
            String[] parts = Files.readString(pidFile(), StandardCharsets.UTF_8).trim().split("\\s+");
            long pid = Long.parseLong(parts[0]);
            long startedMillis = parts.length > 1 ? Long.parseLong(parts[1]) : 0;
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(h -> startedMillis == 0 || h.info().startInstant()
                            .map(i -> Math.abs(i.toEpochMilli() - startedMillis) < 2000).orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Stops the recorded process: {@code signal} first, SIGKILL after {@code grace}; forgets it either way. */
    public boolean stop(String signal, Duration grace) {
        Optional<ProcessHandle> handle = running();
        handle.ifPresent(h -> {
            signal(h.pid(), signal);
            try {
                h.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception timeout) {
                h.destroyForcibly();
                h.onExit().join();
            }
        });
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException ignored) {
            // a stale pid file is harmless: running() checks the start time
        }
        return handle.isPresent();
    }

    static void signal(long pid, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines of the log, to show when a part fails to start. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + logFile() + ")";
        }
    }
}
