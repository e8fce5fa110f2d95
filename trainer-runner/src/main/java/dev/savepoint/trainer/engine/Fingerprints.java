package dev.savepoint.trainer.engine;

import ai.djl.engine.Engine;
import dev.savepoint.contracts.determinism.DeterminismFingerprint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads this process's {@link DeterminismFingerprint}: the CPU from {@code /proc/cpuinfo}, settings, versions. */
public final class Fingerprints {

    /** PyTorch's CPU capability levels, lowest first. */
    private static final List<String> ISA_LEVELS = List.of("default", "avx2", "avx512");
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    private Fingerprints() {
    }

    /** The fingerprint of this process with the engine at {@code intraOpThreads}. */
    public static DeterminismFingerprint current(int intraOpThreads) {
        Map<String, String> cpu = cpuInfo(CPUINFO);
        String cap = System.getenv("ATEN_CPU_CAPABILITY");
        return new DeterminismFingerprint(cpu.getOrDefault("vendor_id", System.getProperty("os.arch")),
                cpu.getOrDefault("model name", "unknown"), dispatchedIsa(supportedIsa(cpu.get("flags")), cap),
                System.getenv("MKL_CBWR"), cap, intraOpThreads, Engine.getDjlVersion(),
                Engine.getEngine("PyTorch").getVersion(), System.getProperty("java.version"),
                String.valueOf(Fingerprints.class.getPackage().getImplementationVersion()));
    }

    /** The first processor's fields of a {@code /proc/cpuinfo}; empty where there is none (not Linux). */
    static Map<String, String> cpuInfo(Path file) {
        try (var lines = Files.lines(file)) {
            return lines.takeWhile(l -> !l.isBlank()).filter(l -> l.contains(":"))
                    .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(':')).trim(),
                            l -> l.substring(l.indexOf(':') + 1).trim(), (a, b) -> a));
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /** The highest level PyTorch can use on a CPU with these flags (its AVX-512 kernels need F, BW, VL and DQ). */
    static String supportedIsa(String flags) {
        Set<String> has = flags == null ? Set.of() : Set.of(flags.split("\\s+"));
        if (has.containsAll(Set.of("avx512f", "avx512bw", "avx512vl", "avx512dq"))) {
            return "avx512";
        }
        return has.containsAll(Set.of("avx2", "fma")) ? "avx2" : "default";
    }

    /** The level PyTorch dispatches to: the CPU's, lowered to the cap when one is set. */
    static String dispatchedIsa(String supported, String cap) {
        int level = ISA_LEVELS.indexOf(supported);
        int capLevel = cap == null ? -1 : ISA_LEVELS.indexOf(cap.toLowerCase(java.util.Locale.ROOT));
        return ISA_LEVELS.get(capLevel < 0 ? level : Math.min(level, capLevel));
    }
}
