package dev.savepoint.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Class paths and configuration files of the processes the stack launches. */
final class Classpaths {

    private Classpaths() {
    }

    static String read(String resource) {
        try (InputStream in = Classpaths.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new StackException("class path resource " + resource + " is missing: build the project first "
                        + "(mvn -DskipTests package)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new StackException("cannot read " + resource + ": " + e.getMessage(), e);
        }
    }

    /** The single jar a class-path resource names (S3Proxy's, PostgreSQL's binaries). */
    static Path singleJar(String resource) {
        Path jar = Path.of(read(resource));
        if (!Files.isRegularFile(jar)) {
            throw new StackException(jar + " (from " + resource + ") does not exist: run mvn -DskipTests package");
        }
        return jar;
    }

    /**
     * Writes a part's configuration file (creating its folder) and returns its path. The file may hold a credential
     * (S3Proxy's), so it is readable by its owner only (mode 600 where the file system is POSIX): written to a new
     * file created with that mode, then moved over the old one, so no moment exists where others could read it.
     */
    static Path writeProperties(Path file, java.util.Properties properties) {
        try {
            Files.createDirectories(file.getParent());
            Path fresh = ownerOnlyFile(file.resolveSibling(file.getFileName() + ".new"));
            try (var out = Files.newBufferedWriter(fresh)) {
                properties.store(out, "written by ./savepoint stack up");
            }
            return Files.move(fresh, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StackException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Creates an empty file readable and writable by its owner only (replacing a leftover of the same name). */
    static Path ownerOnlyFile(Path file) throws IOException {
        Files.deleteIfExists(file);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Files.createFile(file,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return Files.createFile(file);
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
