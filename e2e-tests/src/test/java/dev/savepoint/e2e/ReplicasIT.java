package dev.savepoint.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.contracts.cluster.ClusterJobs;
import dev.savepoint.stack.Services;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of every service (issue 15): one replica of each is SIGKILLed during a run, the trainer-service one
 * with the attempt it ran. The run ends with its uninterrupted twin's bits, the API answers all along through the
 * surviving replicas (the client's URL lists), and no periodic round ran twice while rounds went on after the kills.
 */
class ReplicasIT {

    private static final int STEPS = 1500;

    @Test
    void killingOneReplicaOfEachServiceChangesNothingAUserCanSeeAndNoPeriodicRoundRunsTwice() throws Exception {
        Cluster cluster = Cluster.replicated();
        String expected = Twins.hash(cluster, STEPS); // uninterrupted, before any kill
        String runId = cluster.client.submit(Specs.mlp("e2e-replicas-killed", STEPS));
        long attemptPid = cluster.awaitAttemptPast(runId, 1, 200);

        Services.RunningReplica trainer = cluster.services.runningReplicas().stream()
                .filter(r -> r.replica().service().equals("trainer-service"))
                .filter(r -> r.process().descendants().anyMatch(d -> d.pid() == attemptPid)).findFirst()
                .orElseThrow(() -> new AssertionError("no trainer-service replica runs attempt pid " + attemptPid));
        Timestamp killedAt = databaseNow(cluster);
        Cluster.kill(trainer.process()); // the replica and its attempt, like a lost node
        for (String service : List.of("checkpoint-service", "scheduler-service")) {
            // replica 0: the first URL of every list, so each call has to go on to the survivor
            Cluster.kill(running(cluster, service, 0).process());
        }
        assertEquals(3, cluster.services.runningReplicas().size(), "one replica of each service left");

        // The API answers through the survivors while the killed replicas stay dead.
        JsonNode during = cluster.client.run(runId);
        assertFalse(Cluster.DONE.contains(during.path("state").asText()), during.toString());
        assertTrue(cluster.client.latestCheckpoint(runId).isPresent(), "checkpoint-service answers for the run");

        JsonNode run = cluster.awaitDone(runId, Duration.ofMinutes(4));
        assertEquals("SUCCEEDED", run.path("state").asText(), run.toString());
        assertEquals(expected, run.path("finalParamsSha256").asText(),
                "the killed run has its uninterrupted twin's bits: " + run);
        assertTrue(run.path("restarts").asInt() >= 1, "its attempt died with its trainer-service replica: " + run);

        for (String schema : List.of(cluster.checkpointSchema, cluster.schedulerSchema)) {
            try (Connection db = cluster.database()) {
                assertEquals(List.of(), ClusterJobs.roundsRunTwice(db, schema + ".cluster_job_rounds"),
                        "no periodic round in " + schema + " ran twice");
            }
            // Never lost: a round the killed replica held is taken over once it is stale (60 s), then rounds go on.
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                try (Connection db = cluster.database()) {
                    return roundsAfter(db, schema, killedAt).getOrDefault("processed-event-pruner", 0) >= 1;
                }
            });
            try (Connection db = cluster.database()) {
                System.out.printf("periodic rounds in %s after the kills: %s%n", schema, roundsAfter(db, schema,
                        killedAt));
                assertEquals(List.of(), ClusterJobs.roundsRunTwice(db, schema + ".cluster_job_rounds"),
                        "no periodic round in " + schema + " ran twice, also after the takeover");
            }
        }
    }

    private static Services.RunningReplica running(Cluster cluster, String service, int index) {
        return cluster.services.runningReplicas().stream()
                .filter(r -> r.replica().service().equals(service) && r.replica().index() == index).findFirst()
                .orElseThrow(() -> new AssertionError(service + " replica " + index + " is not running"));
    }

    private static Timestamp databaseNow(Cluster cluster) throws SQLException {
        try (Connection db = cluster.database(); PreparedStatement s = db.prepareStatement("select clock_timestamp()");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

    /** Rounds per job that started after {@code since} and finished. */
    private static Map<String, Integer> roundsAfter(Connection db, String schema, Timestamp since) throws SQLException {
        Map<String, Integer> rounds = new TreeMap<>();
        try (PreparedStatement s = db.prepareStatement("select job, count(*) from " + schema + ".cluster_job_rounds"
                + " where started_at > ? and finished_at is not null group by job")) {
            s.setTimestamp(1, since);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rounds.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return rounds;
    }
}
