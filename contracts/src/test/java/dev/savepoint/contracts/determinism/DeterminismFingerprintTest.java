package dev.savepoint.contracts.determinism;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.savepoint.contracts.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which fingerprint changes break a bit-exact resume, and how each is named. */
class DeterminismFingerprintTest {

    private static final DeterminismFingerprint AMD = new DeterminismFingerprint("AuthenticAMD", "AMD EPYC", "avx2",
            "AVX2,STRICT", "avx2", 1, "0.36.0", "2.7.1", "17.0.15", "0.1.0");

    @Test
    void sameFingerprintIsExact() {
        assertEquals(List.of(), AMD.differencesFrom(AMD));
    }

    @Test
    void oneAndTwoThreadsAreExactButFourIsNamed() {
        assertEquals(List.of(), AMD.differencesFrom(threads(2)));
        assertEquals(List.of(), threads(2).differencesFrom(AMD));
        assertEquals(List.of("intraOpThreads: 1 -> 4 (only 1 to 2 are verified to give the same bits)"),
                AMD.differencesFrom(threads(4)));
    }

    @Test
    void anotherCpuNamesVendorModelAndIsa() {
        var intel = new DeterminismFingerprint("GenuineIntel", "Intel(R) Xeon(R) Platinum 8375C", "avx2",
                "AVX2,STRICT", "avx2", 1, "0.36.0", "2.7.1", "21.0.2", "0.1.0");
        assertEquals(List.of("cpuVendor: AuthenticAMD -> GenuineIntel",
                "cpuModel: AMD EPYC -> Intel(R) Xeon(R) Platinum 8375C"), AMD.differencesFrom(intel),
                "the Java version is recorded but does not decide the bits");
    }

    @Test
    void nativeSettingsAndLibrariesAreNamed() {
        var other = new DeterminismFingerprint("AuthenticAMD", "AMD EPYC", "default", null, "default", 1, "0.37.0",
                "2.8.0", "17.0.15", "0.2.0");
        assertEquals(List.of("isa: avx2 -> default", "mklCbwr: AVX2,STRICT -> null",
                "atenCpuCapability: avx2 -> default", "djl: 0.36.0 -> 0.37.0", "pytorch: 2.7.1 -> 2.8.0",
                "savepoint: 0.1.0 -> 0.2.0"), AMD.differencesFrom(other));
    }

    @Test
    void aCheckpointWithoutFingerprintCannotBeProvenExact() {
        assertEquals(List.of("fingerprint: none recorded in the checkpoint"),
                DeterminismFingerprint.differences(null, AMD));
    }

    @Test
    void survivesJson() {
        assertEquals(AMD, Json.read(Json.write(AMD), DeterminismFingerprint.class));
    }

    private static DeterminismFingerprint threads(int n) {
        return new DeterminismFingerprint(AMD.cpuVendor(), AMD.cpuModel(), AMD.isa(), AMD.mklCbwr(),
                AMD.atenCpuCapability(), n, AMD.djl(), AMD.pytorch(), AMD.java(), AMD.savepoint());
    }
}
