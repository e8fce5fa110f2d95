package dev.savepoint.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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

    /** Writes a part's configuration file (creating its folder) and returns its path. */
    static Path writeProperties(Path file, java.util.Properties properties) {
        try {
            Files.createDirectories(file.getParent());
            try (var out = Files.newBufferedWriter(file)) {
                properties.store(out, "written by ./savepoint stack up");
            }
            return file;
        } catch (IOException e) {
            throw new StackException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
