package dev.savepoint.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files of the stack that hold a credential are readable by their owner only (mode 600), also when rewritten. */
class CredentialFileModeTest {

    @TempDir
    Path repo;

    @Test
    void s3ProxyPropertiesIsCreatedWithMode600() throws IOException {
        assumeTrue(repo.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        StackSettings settings = StackSettings.from(Map.of("SAVEPOINT_S3_SECRET_KEY", "recognisable-secret-4711"),
                repo);
        Path file = settings.root().resolve("s3").resolve("s3proxy.properties");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "left by an older version", java.nio.charset.StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertEquals(file, new S3Server(settings).writeConfig());

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Properties written = new Properties();
        try (var in = Files.newInputStream(file)) {
            written.load(in);
        }
        assertEquals("recognisable-secret-4711", written.getProperty("s3proxy.credential"));
        assertTrue(Files.notExists(file.resolveSibling("s3proxy.properties.new")), "no temporary file left");
    }
}
