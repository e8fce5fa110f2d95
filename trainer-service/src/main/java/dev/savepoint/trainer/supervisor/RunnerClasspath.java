package dev.savepoint.trainer.supervisor;

import dev.savepoint.trainer.runner.AttemptMain;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the class path of an attempt process: the trainer-runner classes this service carries (a jar in
 * quarkus-app/lib/main, or target/classes in a build) plus the runtime class path its build recorded beside them.
 * Loading {@link AttemptMain} here only locates it; DJL is never loaded in this JVM.
 */
public final class RunnerClasspath {

    static final String RECORDED = "dev/savepoint/trainer/runner/runtime.classpath";

    private RunnerClasspath() {
    }

    public static String resolve() {
        Optional<String> beside = fromOwnClasspath();
        if (beside.isPresent()) {
            return beside.get();
        }
        String root = System.getenv("SAVEPOINT_REPO_ROOT");
        root = root != null ? root : System.getProperty("dev.savepoint.repo-root");
        if (root != null) {
            Path classes = Path.of(root, "trainer-runner", "target", "classes");
            try {
                return classes + File.pathSeparator + Files.readString(classes.resolve(RECORDED)).trim();
            } catch (IOException e) {
                throw new IllegalStateException("no recorded trainer-runner class path at " + classes.resolve(RECORDED)
                        + ": build trainer-runner first (mvn -pl trainer-runner install -DskipTests)", e);
            }
        }
        throw new IllegalStateException("cannot find the trainer-runner classes: build trainer-runner "
                + "(mvn -pl trainer-runner install -DskipTests), set SAVEPOINT_REPO_ROOT, or set "
                + "savepoint.runner.class-path");
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
