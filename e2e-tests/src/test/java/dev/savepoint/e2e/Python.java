package dev.savepoint.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The Python interpreter a test runs training scripts with. Debian's {@code python3-torch} installs PyTorch for
 * {@code /usr/bin/python3}, which is often not the first {@code python3} on PATH (pyenv, venvs), so the tests look for
 * the interpreter that actually imports torch instead of trusting PATH: {@code SAVEPOINT_PYTHON}, then
 * {@code /usr/bin/python3}, then {@code python3} on PATH.
 *
 * <p>Without torch a real-PyTorch test is skipped with how to install it, except in CI ({@code CI=true}), where a
 * machine without it fails the build: .ci/run installs it, so its absence there is a broken CI, not a choice.
 */
final class Python {

    static final String INSTALL_HINT = "install Debian's PyTorch with `sudo apt-get install python3-torch` (it is for "
            + "/usr/bin/python3), or point SAVEPOINT_PYTHON at an interpreter that can `import torch`";

    private Python() {
    }

    /** The interpreter that imports torch; skips the test without one, or fails it in CI. */
    static String withTorch() {
        return withTorch(candidates(System.getenv()), "true".equalsIgnoreCase(System.getenv("CI")));
    }

    /** The first of {@code tried} that imports torch; without one, a skip, or a failure when {@code ci}. */
    static String withTorch(List<String> tried, boolean ci) {
        Optional<String> found = tried.stream().filter(p -> runs(p, "import torch")).findFirst();
        if (found.isPresent()) {
            return found.get();
        }
        return missing("no Python with PyTorch (tried " + String.join(", ", tried) + "): " + INSTALL_HINT, ci);
    }

    /** Skips the test (outside CI) or fails it (CI=true) for a missing interpreter. */
    private static String missing(String message, boolean ci) {
        if (ci) {
            return Assertions.fail("CI=true: " + message);
        }
        Assumptions.abort(message);
        return null;
    }

    /**
     * Any Python 3.8+ (for stdlib-only scripts such as the fake sd-scripts trainer); without one, the same rule as
     * {@link #withTorch()}: skipped outside CI, failed in CI.
     */
    static String any() {
        List<String> tried = candidates(System.getenv());
        Optional<String> found = tried.stream()
                .filter(p -> runs(p, "import sys; assert sys.version_info >= (3, 8)")).findFirst();
        if (found.isPresent()) {
            return found.get();
        }
        return missing("no Python 3.8+ (tried " + String.join(", ", tried) + "): install it with `sudo apt-get install "
                + "python3`, or point SAVEPOINT_PYTHON at one", "true".equalsIgnoreCase(System.getenv("CI")));
    }

    /** SAVEPOINT_PYTHON, /usr/bin/python3, then python3 found on PATH, in that order, without repeats. */
    static List<String> candidates(Map<String, String> env) {
        List<String> all = new ArrayList<>();
        String configured = env.get("SAVEPOINT_PYTHON");
        if (configured != null && !configured.isBlank()) {
            all.add(configured);
        }
        all.add("/usr/bin/python3");
        for (String dir : env.getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "python3");
            if (Files.isExecutable(p)) {
                all.add(p.toString());
                break;
            }
        }
        return all.stream().distinct().toList();
    }

    private static boolean runs(String python, String code) {
        try {
            Process p = new ProcessBuilder(python, "-c", code).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
