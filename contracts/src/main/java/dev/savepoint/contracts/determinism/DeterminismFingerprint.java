package dev.savepoint.contracts.determinism;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What decides the bits an attempt computes: the CPU, the instruction set PyTorch dispatches to, the native
 * determinism settings, the engine's intra-op threads and the library versions. Every checkpoint records the one it
 * was written under; a resume compares it with its own ({@link #differencesFrom}) to say whether it can be bit-exact.
 *
 * @param cpuVendor {@code vendor_id} of the CPU (GenuineIntel, AuthenticAMD)
 * @param cpuModel the CPU's model name
 * @param isa the vector instruction set PyTorch's CPU kernels dispatch to: the lower of what the CPU supports and
 *     the cap set by {@code ATEN_CPU_CAPABILITY}
 * @param mklCbwr MKL's conditional numerical reproducibility setting ({@code MKL_CBWR})
 * @param atenCpuCapability the ISA cap given to PyTorch ({@code ATEN_CPU_CAPABILITY})
 * @param intraOpThreads the engine's intra-op thread count
 * @param djl DJL version
 * @param pytorch PyTorch native library version
 * @param java Java runtime version (recorded only: the trainer's Java arithmetic is StrictMath, the same everywhere)
 * @param savepoint the trainer build version (model code decides the order of operations)
 */
public record DeterminismFingerprint(
        String cpuVendor,
        String cpuModel,
        String isa,
        String mklCbwr,
        String atenCpuCapability,
        Integer intraOpThreads,
        String djl,
        String pytorch,
        String java,
        String savepoint) {

    /**
     * Thread counts between which the built-in models are proven (by the trainer's tests, as separate attempt
     * processes, on the Intel and AMD machines the project runs on) to give the same bits.
     */
    public static final int MAX_VERIFIED_THREADS = 2;

    /** The fields whose change can change the bits, with how each is read. */
    private static final List<Field> FIELDS = List.of(
            new Field("cpuVendor", DeterminismFingerprint::cpuVendor),
            new Field("cpuModel", DeterminismFingerprint::cpuModel),
            new Field("isa", DeterminismFingerprint::isa),
            new Field("mklCbwr", DeterminismFingerprint::mklCbwr),
            new Field("atenCpuCapability", DeterminismFingerprint::atenCpuCapability),
            new Field("djl", DeterminismFingerprint::djl),
            new Field("pytorch", DeterminismFingerprint::pytorch),
            new Field("savepoint", DeterminismFingerprint::savepoint));

    /**
     * What differs between the fingerprint a checkpoint was written under ({@code this}) and {@code current}, as
     * {@code field: saved -> current}; empty means the resume is bit-exact. A checkpoint without a fingerprint
     * (written before fingerprints existed) cannot be proven exact and yields one entry saying so.
     */
    public List<String> differencesFrom(DeterminismFingerprint current) {
        List<String> differences = new ArrayList<>();
        for (Field f : FIELDS) {
            Object saved = f.read.apply(this);
            Object now = f.read.apply(current);
            if (!Objects.equals(saved, now)) {
                differences.add(f.name + ": " + saved + " -> " + now);
            }
        }
        if (!Objects.equals(intraOpThreads, current.intraOpThreads)
                && !(verifiedThreads(intraOpThreads) && verifiedThreads(current.intraOpThreads))) {
            differences.add("intraOpThreads: " + intraOpThreads + " -> " + current.intraOpThreads
                    + " (only 1 to " + MAX_VERIFIED_THREADS + " are verified to give the same bits)");
        }
        return differences;
    }

    /** {@link #differencesFrom} for a checkpoint whose fingerprint may be missing. */
    public static List<String> differences(DeterminismFingerprint saved, DeterminismFingerprint current) {
        if (saved == null) {
            return List.of("fingerprint: none recorded in the checkpoint");
        }
        return saved.differencesFrom(current);
    }

    private static boolean verifiedThreads(Integer threads) {
        return threads != null && threads >= 1 && threads <= MAX_VERIFIED_THREADS;
    }

    private record Field(String name, Function<DeterminismFingerprint, Object> read) {
    }
}
