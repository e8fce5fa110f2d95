package dev.savepoint.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The rule for the real-PyTorch tests: which interpreter, and skipped or failed when none imports torch. */
class PythonTest {

    private static final String NONE = "/nonexistent/savepoint-test-python";

    @Test
    void configuredInterpreterComesFirstThenDebiansThenPath() {
        List<String> order = Python.candidates(Map.of("SAVEPOINT_PYTHON", NONE, "PATH", ""));
        assertEquals(NONE, order.get(0));
        assertEquals("/usr/bin/python3", order.get(1));
    }

    @Test
    void withoutTorchOutsideCiTheTestIsSkippedWithHowToInstallIt() {
        TestAbortedException skipped = assertThrows(TestAbortedException.class,
                () -> Python.withTorch(List.of(NONE), false));
        assertTrue(skipped.getMessage().contains("apt-get install python3-torch"), skipped.getMessage());
    }

    @Test
    void withoutTorchInCiTheBuildFails() {
        AssertionFailedError failed = assertThrows(AssertionFailedError.class,
                () -> Python.withTorch(List.of(NONE), true));
        assertTrue(failed.getMessage().contains("CI=true") && failed.getMessage().contains(NONE), failed.getMessage());
    }
}
