package dev.savepoint.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A second, private stack on free ports: up is all-or-nothing, down stops exactly what up started. */
class StackLifecycleTest {

    @TempDir
    Path repo;

    private StackSettings privateSettings() {
        Map<String, String> env = new HashMap<>();
        env.put("SAVEPOINT_KAFKA_PORT", Integer.toString(Ports.freePort("127.0.0.1")));
        env.put("SAVEPOINT_KAFKA_CONTROLLER_PORT", Integer.toString(Ports.freePort("127.0.0.1")));
        env.put("SAVEPOINT_S3_PORT", Integer.toString(Ports.freePort("127.0.0.1")));
        // PostgreSQL: share the test run's server, so this test starts only Kafka and S3 of its own.
        env.put("SAVEPOINT_POSTGRES_PORT", TestStack.shared().serviceConfig().get("quarkus.datasource.jdbc.url")
                .replaceAll(".*:(\\d+)/.*", "$1"));
        return StackSettings.from(env, repo);
    }

    @Test
    void upStartsEveryPartAndDownStopsExactlyThoseProcesses() {
        LocalStack stack = new LocalStack(privateSettings());
        stack.up(quiet());
        try {
            assertTrue(stack.isUp());
            stack.status().values().forEach(line -> assertTrue(line.contains(" up "), line));
            List<ProcessHandle> started = List.of(new ManagedProcess("kafka", stack.settings()).running().orElseThrow(),
                    new ManagedProcess("s3", stack.settings()).running().orElseThrow());

            stack.up(quiet()); // idempotent: nothing new starts
            assertEquals(started.get(0).pid(), new ManagedProcess("kafka", stack.settings()).running().orElseThrow().pid());

            stack.down(quiet());
            started.forEach(p -> assertFalse(p.isAlive(), "pid " + p.pid() + " still running after down"));
            for (int port : List.of(stack.settings().kafkaPort(), stack.settings().kafkaControllerPort(),
                    stack.settings().s3Port())) {
                assertTrue(Ports.free("127.0.0.1", port), "port " + port + " still taken after down");
            }
        } finally {
            stack.down(quiet());
        }
    }

    @Test
    void portTakenByAnotherProgramIsNamedAndNothingStarts() throws Exception {
        StackSettings settings = privateSettings();
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress("127.0.0.1", settings.s3Port()));
            LocalStack stack = new LocalStack(settings);
            var e = assertThrows(StackException.class, () -> stack.up(quiet()));
            assertTrue(e.getMessage().contains("port " + settings.s3Port()), e.getMessage());
            assertFalse(new ManagedProcess("kafka", settings).running().isPresent(), "Kafka was left running");
            assertFalse(Files.exists(settings.pids().resolve("kafka.pid")) && Ports.listening("127.0.0.1",
                    settings.kafkaPort()), "Kafka is listening");
        }
    }

    @Test
    void unknownCommandPrintsUsageAndExitsWithTwo() {
        var err = new ByteArrayOutputStream();
        int code = StackCli.run(List.of("stack", "sideways"), quiet(), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: ./savepoint"));
        assertEquals(2, StackCli.run(List.of("--frobnicate"), quiet(), quiet()));
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
