package dev.savepoint.trainer.supervisor;

import dev.savepoint.trainer.runner.AttemptMain;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Finds the class path of an attempt process when {@code savepoint.runner.class-path} does not name one: the
 * trainer-runner classes this service carries (a jar in quarkus-app/lib/main, or target/classes in a build) plus the
 * runtime class path its build recorded beside them. That record holds absolute paths into the build machine's Maven
 * repository, so it serves local builds only; elsewhere, point the setting at the relocatable runner folder's
 * {@code lib/*}. Loading {@link AttemptMain} here only locates it; DJL is never loaded in this JVM.
 */
public final class RunnerClasspath {

    static final String RECORDED = "dev/savepoint/trainer/runner/runtime.classpath";

    private RunnerClasspath() {
    }

    public static String resolve() {
        Optional<String> beside = fromOwnClasspath();
        if (beside.isPresent()) {
            return requirePresent(beside.get());
        }
        String root = System.getenv("SAVEPOINT_REPO_ROOT");
        root = root != null ? root : System.getProperty("dev.savepoint.repo-root");
        if (root != null) {
            Path classes = Path.of(root, "trainer-runner", "target", "classes");
            try {
                String recorded = Files.readString(classes.resolve(RECORDED)).trim();
                return requirePresent(classes + File.pathSeparator + recorded);
            } catch (IOException e) {
                throw new IllegalStateException("no recorded trainer-runner class path at " + classes.resolve(RECORDED)
                        + ": build trainer-runner first (mvn -pl trainer-runner install -DskipTests)", e);
            }
        }
        throw new IllegalStateException("cannot find the trainer-runner classes: build trainer-runner "
                + "(mvn -pl trainer-runner install -DskipTests), set SAVEPOINT_REPO_ROOT, or set "
                + "savepoint.runner.class-path");
    }

    /** The recorded class path, if every entry exists on this machine. */
    static String requirePresent(String classPath) {
        List<String> missing = Arrays.stream(classPath.split(File.pathSeparator))
                .filter(entry -> !entry.isBlank() && !Files.exists(Path.of(entry))).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the trainer-runner class path recorded at build time names "
                    + missing.size() + " files that are not on this machine (first: " + missing.get(0) + "): set "
                    + "savepoint.runner.class-path (env SAVEPOINT_RUNNER_CLASS_PATH) to the relocatable runner "
                    + "folder's jars, e.g. /app/runner/lib/* (mvn package writes it to trainer-runner/target/runner)");
        }
        return classPath;
    }

    private static Optional<String> fromOwnClasspath() {
        try (InputStream in = AttemptMain.class.getResourceAsStream("runtime.classpath")) {
            var source = AttemptMain.class.getProtectionDomain().getCodeSource();
            if (in == null || source == null) {
                return Optional.empty();
            }
            Path own = Path.of(source.getLocation().toURI());
            return Optional.of(own + File.pathSeparator + new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
        } catch (IOException | URISyntaxException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }
}
