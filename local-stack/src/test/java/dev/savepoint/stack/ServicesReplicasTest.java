package dev.savepoint.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replicas of {@code ./savepoint up --replicas N}: their ports, names and folders, and that {@code down} and the
 * list of running replicas find every one by its pid file, whatever N the process that started it was given.
 */
class ServicesReplicasTest {

    @TempDir
    Path repo;

    private Services services(int replicas) {
        return new Services(new LocalStack(StackSettings.from(Map.of(), repo)), repo, replicas);
    }

    @Test
    void replicaKOfAServiceServesOnItsPortPlusThreeKWithItsOwnNameAndAttemptsFolder() {
        Services s = services(3);
        assertEquals(9, s.replicas().size());
        Services.Replica trainer2 = s.replica("trainer-service", 2);
        assertEquals(8087, trainer2.port());
        assertEquals("trainer-service-2", trainer2.processName());
        assertEquals("trainer-service", s.replica("trainer-service", 0).processName());
        assertEquals(repo.resolve(".savepoint/attempts-2"), s.attemptsDir(trainer2));
        assertEquals(repo.resolve(".savepoint/attempts"), s.attemptsDir(s.replica("trainer-service", 0)));
        assertEquals("http://127.0.0.1:8082,http://127.0.0.1:8085,http://127.0.0.1:8088",
                s.urls("checkpoint-service"));
        assertEquals(List.of(8083, 8086, 8089), s.replicas().stream()
                .filter(r -> r.service().equals("scheduler-service")).map(Services.Replica::port).toList());
    }

    @Test
    void runningReplicasAndDownFindEveryRecordedReplicaWhateverTheCountGiven() {
        Services three = services(3);
        Services.Replica replica = three.replica("checkpoint-service", 2);
        // a stand-in process recorded as that replica, as up --replicas 3 would have recorded it
        ProcessHandle process = new ManagedProcess(replica.processName(), StackSettings.from(Map.of(), repo)
                .withRoot(repo.resolve(".savepoint"))).start(List.of("sleep", "300"), repo, Map.of());

        Services one = services(1); // a later ./savepoint down, without --replicas
        List<Services.RunningReplica> running = one.runningReplicas();
        assertEquals(1, running.size(), running.toString());
        assertEquals(replica, running.get(0).replica());
        assertEquals(process.pid(), running.get(0).process().pid());
        assertEquals("http://127.0.0.1:8088", one.runningUrls("checkpoint-service"));
        assertEquals("http://127.0.0.1:8083", one.runningUrls("scheduler-service"), "none runs: the configured one");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        one.down(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertTrue(process.onExit().orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join().pid() > 0);
        assertFalse(process.isAlive());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("checkpoint-service-2 stopped"), out.toString());
        assertEquals(List.of(), one.runningReplicas());
    }

    @Test
    void aReplicaCountOutsideOneToNineIsRefusedNamingTheOption() {
        assertTrue(assertThrows(StackException.class, () -> services(0)).getMessage().startsWith("--replicas"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, StackCli.run(List.of("up", "--replicas", "ten"), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--replicas takes a number of replicas from 1 to 9,"
                + " got 'ten'"), err.toString(StandardCharsets.UTF_8));
    }
}
