package dev.savepoint.stack;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * PostgreSQL binaries from the Maven jar (zonky), unpacked once; a data folder initialised once. PostgreSQL refuses
 * to run as root, so as root both run as {@code nobody} in a folder that user can reach.
 */
final class PostgresBinaries {

    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final Path home;

    PostgresBinaries(StackSettings settings) {
        // /root (mode 700) is not reachable by nobody: as root, keep the server's files under /var/tmp instead.
        this.home = ROOT
                ? Path.of("/var/tmp/savepoint-postgres", Integer.toHexString(settings.root().toString().hashCode()))
                : settings.root().resolve("postgres");
    }

    Path bin(String tool) {
        return unpacked().resolve("bin").resolve(tool);
    }

    /** The prefix that runs a command as the server's user. */
    List<String> asServerUser() {
        return ROOT ? List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups") : List.of();
    }

    /** The stack's data folder, initialised on first use. */
    Path dataDir() {
        return initialised(home.resolve("data"));
    }

    /** A data folder of its own for a server a test owns (see {@link PrivatePostgres}), not yet initialised. */
    Path privateDataDir(String name) {
        return home.resolve("private-" + name);
    }

    /** The command that runs a server on {@code data} at {@code host:port}, as the server's user. */
    List<String> serverCommand(Path data, String host, int port) {
        List<String> command = new java.util.ArrayList<>(asServerUser());
        command.addAll(List.of(bin("postgres").toString(), "-D", data.toString(), "-p", Integer.toString(port),
                "-h", host, "-k", data.toString()));
        return command;
    }

    /** The data folder, initialised (initdb) when it is not yet. */
    Path initialised(Path data) {
        if (Files.exists(data.resolve("PG_VERSION"))) {
            return data;
        }
        try {
            Files.createDirectories(data);
            if (ROOT) {
                run(List.of("chown", "-R", "nobody:nogroup", home.toString()));
            }
            List<String> initdb = new java.util.ArrayList<>(asServerUser());
            initdb.addAll(List.of(bin("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--no-locale"));
            run(initdb);
            return data;
        } catch (IOException e) {
            throw new StackException("cannot initialise a PostgreSQL data folder at " + data + ": " + e.getMessage(), e);
        }
    }

    private Path unpacked() {
        Path jar = Classpaths.singleJar("postgres.classpath");
        Path dist = home.resolve("dist-" + jar.getFileName().toString().replace(".jar", ""));
        if (Files.isExecutable(dist.resolve("bin").resolve("postgres"))) {
            return dist;
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            var entry = zip.stream().filter(e -> e.getName().endsWith(".txz")).findFirst()
                    .orElseThrow(() -> new StackException(jar + " holds no PostgreSQL archive (.txz)"));
            Path tmp = Files.createDirectories(home).resolve("unpacking");
            try (InputStream in = new XZCompressorInputStream(new BufferedInputStream(zip.getInputStream(entry)));
                    TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
                extract(tar, tmp);
            }
            Files.move(tmp, dist);
            if (ROOT) {
                run(List.of("chmod", "-R", "go+rX", home.toString()));
            }
            return dist;
        } catch (IOException e) {
            throw new StackException("cannot unpack PostgreSQL from " + jar + ": " + e.getMessage(), e);
        }
    }

    private static void extract(TarArchiveInputStream tar, Path target) throws IOException {
        for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
            Path out = target.resolve(e.getName()).normalize();
            if (!out.startsWith(target)) {
                throw new IOException("archive entry escapes the target folder: " + e.getName());
            }
            if (e.isDirectory()) {
                Files.createDirectories(out);
            } else if (e.isSymbolicLink()) {
                Files.createDirectories(out.getParent());
                Files.deleteIfExists(out);
                Files.createSymbolicLink(out, Path.of(e.getLinkName()));
            } else {
                Files.createDirectories(out.getParent());
                Files.copy(tar, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(out, permissions(e.getMode()));
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> perms = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
        if ((mode & 0100) != 0) {
            perms.addAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_EXECUTE));
        }
        return perms;
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command));
        }
    }
}
