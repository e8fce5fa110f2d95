package dev.savepoint.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The machine's CPU model as {@code lscpu} names it (or /proc/cpuinfo where lscpu is missing), and its core count. */
final class Cpu {

    private Cpu() {
    }

    static String model() {
        String fromLscpu = field(run("lscpu"), "Model name:");
        if (fromLscpu != null) {
            return fromLscpu + " (" + Runtime.getRuntime().availableProcessors() + " cores)";
        }
        try {
            String fromProc = field(Files.readString(Path.of("/proc/cpuinfo")), "model name");
            return (fromProc == null ? "unknown" : fromProc.replaceFirst("^:\\s*", "")) + " ("
                    + Runtime.getRuntime().availableProcessors() + " cores)";
        } catch (IOException e) {
            return "unknown (" + Runtime.getRuntime().availableProcessors() + " cores)";
        }
    }

    /** The first three fields of /proc/loadavg: runnable processes averaged over 1, 5 and 15 minutes. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String field(String text, String name) {
        if (text == null) {
            return null;
        }
        return text.lines().filter(l -> l.startsWith(name)).map(l -> l.substring(name.length()).trim())
                .findFirst().orElse(null);
    }

    private static String run(String command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
