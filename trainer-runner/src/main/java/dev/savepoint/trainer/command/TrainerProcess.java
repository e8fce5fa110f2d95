package dev.savepoint.trainer.command;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The training command as a child of the attempt, in a process group of its own ({@code setsid}), so that a stop
 * reaches every process it started (data loader workers, a launcher's children) and trainer-service can kill the group
 * from {@code command.pid} when the attempt process dies. Its environment is the attempt's without the object-store
 * credentials ({@code SAVEPOINT_S3_*}, {@code AWS_*}), plus the spec's {@code env}. Every output line goes to the
 * attempt's stdout, to {@code trainer.log} and through the {@link OutputScan}.
 */
public final class TrainerProcess {

    private final Process process;
    private final Thread pump;
    private volatile long endedAtNanos;

    private TrainerProcess(Process process, Thread pump) {
        this.process = process;
        this.pump = pump;
        process.onExit().thenRun(() -> endedAtNanos = System.nanoTime());
    }

    /** Starts {@code argv} in its own session and process group; its pid is written to {@code work.pidFile()}. */
    public static TrainerProcess start(List<String> argv, Path workdir, Map<String, String> extraEnv, WorkFolder work,
            PrintStream out, OutputScan scan) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("setsid"));
        cmd.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (workdir != null) {
            pb.directory(workdir.toFile());
        }
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(TrainerProcess::isCredential);
        env.putAll(extraEnv);
        Process process = pb.start();
        Files.writeString(work.pidFile(), process.pid() + "\n");
        Writer log = Files.newBufferedWriter(work.trainerLog(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        Thread pump = new Thread(() -> copyLines(process, log, out, scan), "trainer-output");
        pump.setDaemon(true);
        pump.start();
        return new TrainerProcess(process, pump);
    }

    /**
     * The credentials the trainer must never see: the object store's (it writes to its own folder, never to S3) and
     * the attempt's Kafka user (only the attempt sends events).
     */
    static boolean isCredential(String name) {
        return name.startsWith("SAVEPOINT_S3_") || name.startsWith("AWS_") || name.startsWith("SAVEPOINT_KAFKA_USER")
                || name.startsWith("SAVEPOINT_KAFKA_PASSWORD");
    }

    private static void copyLines(Process process, Writer log, PrintStream out, OutputScan scan) {
        try (log; BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                out.println(line);
                log.write(line);
                log.write('\n');
                log.flush();
                scan.line(line);
            }
        } catch (IOException e) {
            out.println("savepoint: reading the trainer's output failed: " + e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The trainer's exit code (128 + n when signal n killed it); only once it ended. */
    public int exitCode() {
        return process.exitValue();
    }

    /** When the trainer ended ({@link System#nanoTime()}); only once it ended. */
    public long endedAtNanos() throws InterruptedException {
        process.waitFor();
        while (endedAtNanos == 0) { // onExit's callback runs right after the reaper saw the exit
            Thread.onSpinWait();
        }
        return endedAtNanos;
    }

    /** Waits for the end; true when it ended within the timeout. */
    public boolean waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends a signal ({@code TERM}, {@code KILL}) to the trainer's whole process group. */
    public void signalGroup(String signal) {
        signalGroup(process.pid(), signal);
    }

    /** Sends a signal to a process group; false when no process of it was left. */
    public static boolean signalGroup(long pgid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, "--", "-" + pgid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGTERM to the group, up to {@code grace} to end, then SIGKILL; waits for the end. */
    public void stop(Duration grace) throws InterruptedException {
        signalGroup("TERM");
        if (!waitFor(grace)) {
            signalGroup("KILL");
            process.waitFor();
        }
    }

    /** After the trainer ended: kills what is left of its group (workers it started) and reads its last lines. */
    public void reap() throws InterruptedException {
        signalGroup("KILL");
        pump.join(TimeUnit.SECONDS.toMillis(10));
    }
}
