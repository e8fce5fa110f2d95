package dev.savepoint.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/**
 * The stack every test of a build shares: a running stack is used as it is; otherwise the first test JVM starts one
 * and a watchdog process stops it once the build (the test JVM's parent Maven process) has exited.
 */
public final class TestStack {

    private static LocalStack shared;

    private TestStack() {
    }

    public static synchronized LocalStack shared() {
        if (shared != null) {
            return shared;
        }
        LocalStack stack = new LocalStack(StackSettings.fromEnvironment());
        ManagedProcess watchdog = new ManagedProcess("stack-watchdog", stack.settings());
        if (!stack.isUp() || watchdog.running().isPresent()) {
            registerOwner(stack.settings());
            stack.up(System.out);
            if (watchdog.running().isEmpty()) {
                watchdog.start(List.of(Classpaths.javaExecutable(), "-Xmx64m", "-cp", ownClasspath(),
                        StackCli.class.getName(), "stack", "watch"), stack.settings().root(), Map.of());
            }
        }
        stack.tokens().ensure(System.out);
        shared = stack;
        return stack;
    }

    private static final java.util.Map<dev.savepoint.security.Role, String> TOKENS =
            new java.util.EnumMap<>(dev.savepoint.security.Role.class);

    /** A token of {@code role} for this test JVM, created on first use in the shared stack's database. */
    public static synchronized String token(dev.savepoint.security.Role role) {
        return TOKENS.computeIfAbsent(role, r -> shared().tokens().create(r, "test " + r.id(), null));
    }

    /** The build that owns this test JVM: its parent when that is a JVM (Maven, an IDE), else this JVM. */
    private static void registerOwner(StackSettings settings) {
        ProcessHandle self = ProcessHandle.current();
        long owner = self.parent()
                .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                .map(ProcessHandle::pid).orElse(self.pid());
        try {
            Path owners = Files.createDirectories(owners(settings));
            Files.writeString(owners.resolve(Long.toString(owner)), "");
        } catch (IOException e) {
            throw new StackException("cannot record the test stack's owner: " + e.getMessage(), e);
        }
    }

    static Path owners(StackSettings settings) {
        return settings.root().resolve("test-owners");
    }

    private static String ownClasspath() {
        try {
            Path self = Paths.get(TestStack.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return self + java.io.File.pathSeparator + Classpaths.read("runtime.classpath");
        } catch (java.net.URISyntaxException e) {
            throw new StackException("cannot locate the local-stack classes: " + e.getMessage(), e);
        }
    }

    /** Runs in the watchdog process: stops the stack when no owning build process is alive any more. */
    static void watch(LocalStack stack) throws InterruptedException {
        Path owners = owners(stack.settings());
        int idleChecks = 0;
        while (idleChecks < 2) {
            Thread.sleep(1000);
            idleChecks = anyOwnerAlive(owners) ? 0 : idleChecks + 1;
        }
        stack.down(System.out);
    }

    private static boolean anyOwnerAlive(Path owners) {
        try (var files = Files.list(owners)) {
            boolean alive = false;
            for (Path f : files.toList()) {
                long pid = Long.parseLong(f.getFileName().toString());
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    alive = true;
                } else {
                    Files.deleteIfExists(f);
                }
            }
            return alive;
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }
}
