package dev.savepoint.e2e;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a disturbed run cost, from the scheduler's attempts: the restarts it spent and the steps it trained again
 * (for each relaunch, the last step the previous attempt reported in a heartbeat minus the step the next one resumed
 * from; heartbeats come every 250 ms, so this is a lower bound by at most a quarter second of training).
 */
record RunStory(String runId, int restarts, long stepsRecomputed, long mostInOneRelaunch, String attempts) {

    static RunStory of(Cluster cluster, String runId) {
        JsonNode attempts = cluster.client.attempts(runId);
        long recomputed = 0;
        long most = 0;
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < attempts.size(); i++) {
            JsonNode a = attempts.get(i);
            lines.append(String.format("%n    attempt %d: %s, resumed from step %s, last step %s, cause %s",
                    a.path("attempt").asInt(), a.path("state").asText(), a.path("resumedFromStep").asText("-"),
                    a.path("lastStep").asText("-"), a.path("cause").asText("-")));
            if (i > 0) {
                long reached = attempts.get(i - 1).path("lastStep").asLong(0);
                long resumed = a.path("resumedFromStep").asLong(0);
                recomputed += Math.max(0, reached - resumed);
                most = Math.max(most, reached - resumed);
            }
        }
        return new RunStory(runId, cluster.client.run(runId).path("restarts").asInt(), recomputed, most,
                lines.toString());
    }

    /** One line for the test log and the issue notes. */
    RunStory print(String test) {
        System.out.printf("%s: run %s spent %d restarts and recomputed at least %d steps (at most %d in one "
                + "relaunch)%s%n", test, runId, restarts, stepsRecomputed, mostInOneRelaunch, attempts);
        return this;
    }
}
