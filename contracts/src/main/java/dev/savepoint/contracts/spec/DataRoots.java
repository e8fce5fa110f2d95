package dev.savepoint.contracts.spec;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The folders a run spec's local CSV or text {@code data.path} may lie under (a text source also {@link #FORTUNES}), so a spec (submitted or sent in a
 * LaunchAttempt) cannot make an attempt read {@code /etc/passwd}. {@code s3://} paths are not concerned.
 *
 * <p>The system property {@code savepoint.data.roots} or else the environment variable {@code SAVEPOINT_DATA_ROOTS}
 * lists them, separated by the platform's path separator (':' on Linux). Without either: the {@code examples}
 * folder of the working directory and of the repository ({@code SAVEPOINT_REPO_ROOT}, which {@code ./savepoint}
 * exports, or the system property {@code dev.savepoint.repo-root} of the tests), and the system temp directory
 * ({@code java.io.tmpdir}).
 * A path is resolved against the working directory and normalized; when the file exists its real path (symlinks
 * followed) must lie under a root too.
 */
public final class DataRoots {

    public static final String PROPERTY = "savepoint.data.roots";
    public static final String ENV = "SAVEPOINT_DATA_ROOTS";
    /** Debian's {@code fortunes} text files, which a {@code text} data source may read besides the roots. */
    public static final Path FORTUNES = Path.of("/usr/share/games/fortunes");

    private DataRoots() {
    }

    /** The configured roots, absolute and normalized; read each time so a test or operator can change them. */
    public static List<Path> roots() {
        String configured = System.getProperty(PROPERTY, System.getenv(ENV));
        List<String> names = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            names.addAll(Arrays.asList(configured.split(File.pathSeparator)));
        } else {
            names.add(Path.of(System.getProperty("user.dir"), "examples").toString());
            String repo = System.getProperty("dev.savepoint.repo-root", System.getenv("SAVEPOINT_REPO_ROOT"));
            if (repo != null && !repo.isBlank()) {
                names.add(Path.of(repo, "examples").toString());
            }
            names.add(System.getProperty("java.io.tmpdir"));
        }
        List<Path> roots = new ArrayList<>();
        for (String name : names) {
            if (!name.isBlank()) {
                try {
                    Path root = resolve(name.trim());
                    if (!roots.contains(root)) {
                        roots.add(root);
                    }
                } catch (InvalidPathException e) {
                    // a root that is no path allows nothing
                }
            }
        }
        return roots;
    }

    /** The path as an attempt would open it: against the working directory, normalized. */
    public static Path resolve(String path) {
        return Path.of(System.getProperty("user.dir")).resolve(path).toAbsolutePath().normalize();
    }

    /** Whether the file (and, if it exists, its real path) lies under one of the roots. */
    public static boolean isUnderRoot(Path file) {
        return isUnderRoot(file, roots());
    }

    /** Whether the file (and, if it exists, its real path) lies under one of {@code roots}. */
    public static boolean isUnderRoot(Path file, List<Path> roots) {
        for (Path root : roots) {
            if (file.startsWith(root) && (!Files.exists(file) || realUnder(file, root))) {
                return true;
            }
        }
        return false;
    }

    private static boolean realUnder(Path file, Path root) {
        try {
            Path realRoot = Files.exists(root) ? root.toRealPath() : root;
            return file.toRealPath().startsWith(realRoot);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
