package dev.savepoint.stack;

import java.nio.file.Path;

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
        return SecretFile.readOrCreate(root.resolve(FILE_NAME), "the event key");
    }
}
