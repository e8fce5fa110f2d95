package dev.savepoint.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A secret the local stack generates once and keeps in a file readable by its owner only (mode 600): the event key,
 * the Kafka users' passwords. Every JVM of the stack reads the same value and nobody needs to configure one.
 */
final class SecretFile {

    private SecretFile() {
    }

    /**
     * The secret in {@code file} (32 random bytes, base64url), created on first use; safe when several JVMs race to
     * create it. {@code what} names it in an error.
     */
    static String readOrCreate(Path file, String what) {
        try {
            if (!Files.isRegularFile(file)) {
                create(file);
            }
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new StackException("cannot read or create " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes a fresh secret to a private file, then links it into place: readers never see a half-written one. */
    private static void create(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        Path fresh = Classpaths.ownerOnlyFile(file.resolveSibling(file.getFileName() + "."
                + ProcessHandle.current().pid()));
        try {
            Files.writeString(fresh, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + "\n");
            Files.createLink(file, fresh);
        } catch (FileAlreadyExistsException e) {
            // another JVM of the stack made it first: use theirs
        } finally {
            Files.deleteIfExists(fresh);
        }
    }
}
