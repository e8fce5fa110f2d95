package dev.savepoint.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CPU and the ISA PyTorch dispatches to, read the same way on Intel and AMD. */
class FingerprintsTest {

    @TempDir
    Path dir;

    @Test
    void readsTheFirstProcessorOfCpuinfo() throws Exception {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, """
                processor\t: 0
                vendor_id\t: AuthenticAMD
                model name\t: AMD EPYC 7B13
                flags\t\t: fpu sse2 avx fma avx2

                processor\t: 1
                vendor_id\t: AuthenticAMD
                model name\t: AMD EPYC 7B13
                """);
        Map<String, String> cpu = Fingerprints.cpuInfo(cpuinfo);
        assertEquals("AuthenticAMD", cpu.get("vendor_id"));
        assertEquals("AMD EPYC 7B13", cpu.get("model name"));
        assertEquals("avx2", Fingerprints.supportedIsa(cpu.get("flags")));
    }

    @Test
    void noCpuinfoGivesNoFields() {
        assertEquals(Map.of(), Fingerprints.cpuInfo(dir.resolve("absent")));
    }

    @Test
    void avx512NeedsAllFourExtensionsPyTorchUses() {
        assertEquals("avx512", Fingerprints.supportedIsa("avx2 fma avx512f avx512bw avx512vl avx512dq"));
        assertEquals("avx2", Fingerprints.supportedIsa("avx2 fma avx512f"));
        assertEquals("default", Fingerprints.supportedIsa("sse2 avx"));
        assertEquals("default", Fingerprints.supportedIsa(null));
    }

    @Test
    void theCapLowersButNeverRaisesTheDispatchedIsa() {
        assertEquals("avx2", Fingerprints.dispatchedIsa("avx512", "avx2"));
        assertEquals("avx2", Fingerprints.dispatchedIsa("avx2", "AVX512"));
        assertEquals("default", Fingerprints.dispatchedIsa("avx2", "default"));
        assertEquals("avx512", Fingerprints.dispatchedIsa("avx512", null));
        assertEquals("avx2", Fingerprints.dispatchedIsa("avx2", "something-else"));
    }
}
