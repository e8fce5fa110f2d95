package dev.savepoint.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The services' event key K of a local stack (contracts' EventSignatures): generated once, 32 random bytes, and kept
 * in {@code event.key} under the stack's root, readable by its owner only, so that every service and test JVM of the
 * stack signs and verifies with the same key and nobody needs to configure one.
 */
final class EventKey {

    static final String FILE_NAME = "event.key";

    private EventKey() {
    }

    /** The key of the stack at {@code root}, created on first use; safe when several JVMs race to create it. */
    static String readOrCreate(Path root) {
        Path file = root.resolve(FILE_NAME);
        try {
            if (!Files.isRegularFile(file)) {
                create(root, file);
            }
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new StackException("cannot read or create the event key " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes a fresh key to a private file, then links it into place: readers never see a half-written key. */
    private static void create(Path root, Path file) throws IOException {
        Files.createDirectories(root);
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        Path fresh = Classpaths.ownerOnlyFile(root.resolve(FILE_NAME + "." + ProcessHandle.current().pid()));
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
