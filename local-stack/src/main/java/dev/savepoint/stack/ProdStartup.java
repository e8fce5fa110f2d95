package dev.savepoint.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A packaged service started in its prod profile with exactly the environment a test gives (nothing inherited), and
 * with Kafka and PostgreSQL addresses where nothing answers, so it never reaches a real server; for tests of a start-up
 * that must fail.
 */
public final class ProdStartup {

    /** How a start-up ended. */
    public record Outcome(int exitCode, String output) {

        private static final Pattern MISSING = Pattern.compile("Could not expand value ([A-Z0-9_]+) in property");

        /** The environment variables the start-up said were missing (SmallRye's SRCFG00011 lines). */
        public Set<String> missingVariables() {
            Set<String> names = new TreeSet<>();
            MISSING.matcher(output).results().forEach(m -> names.add(m.group(1)));
            return names;
        }

        /** Throws an AssertionError unless the start-up failed naming exactly {@code variables} as missing. */
        public void assertStoppedNaming(String... variables) {
            Set<String> expected = new TreeSet<>(List.of(variables));
            if (exitCode == 0 || !expected.equals(missingVariables())) {
                throw new AssertionError("expected start-up to stop (exit " + exitCode + ") naming " + expected
                        + " as missing, it named " + missingVariables() + "; output:\n" + output);
            }
        }
    }

    /**
     * Runs the service this test belongs to: the jar the system property {@code savepoint.quarkus-run} names (the
     * module's failsafe configuration sets it), given at most three minutes.
     */
    public static Outcome runPackagedService(Map<String, String> env) throws IOException, InterruptedException {
        String jar = System.getProperty("savepoint.quarkus-run", "target/quarkus-app/quarkus-run.jar");
        return run(Path.of(jar), env, Duration.ofMinutes(3));
    }

    private ProdStartup() {
    }

    /** Runs {@code quarkus-run.jar} until it exits; fails the caller if it is still running after {@code limit}. */
    public static Outcome run(Path quarkusRunJar, Map<String, String> env, Duration limit) throws IOException,
            InterruptedException {
        if (!Files.isRegularFile(quarkusRunJar)) {
            throw new StackException(quarkusRunJar + " is missing: package the service first (mvn package)");
        }
        List<String> command = new ArrayList<>(List.of(Classpaths.javaExecutable(), "-Xmx256m",
                "-Dquarkus.http.port=0", "-Dkafka.bootstrap.servers=127.0.0.1:1",
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:1/none", "-jar", quarkusRunJar.toString()));
        Path log = Files.createTempFile("prod-startup", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().clear();
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.toHandle().destroyForcibly();
                throw new StackException(quarkusRunJar + " was still running after " + limit + ":\n"
                        + Files.readString(log));
            }
            return new Outcome(process.exitValue(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
