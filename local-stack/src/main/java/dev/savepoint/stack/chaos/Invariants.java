package dev.savepoint.stack.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.stack.Ports;
import dev.savepoint.stack.SavepointClient;
import dev.savepoint.stack.StackSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The promises a chaos run checks once every run has ended: each is read from what the services left behind (the
 * scheduler's runs and attempts, the catalog's rows, the objects in S3, the records in Kafka), never from the chaos
 * run's own bookkeeping.
 */
public final class Invariants {

    /** A run the chaos run trained, and the final parameter hash its uninterrupted twin had (null: none to match). */
    public record Run(String runId, String kind, String twinSha256) {
    }

    private static final Set<String> LIVE = Set.of("COMMITTED", "DELETING", "PARTIALLY_DELETED");
    private static final Pattern FOLDER = Pattern.compile("^(runs/[^/]+/checkpoints/[^/]+/).+");

    private final SavepointClient client;
    private final Catalog catalog;
    private final StoredObjects objects;
    private final TopicScan topics;
    private final Duration sweeperWait;

    /**
     * @param sweeperWait how long to give the sweeper (interval plus grace of the services under test) to remove
     *                    the orphans the faults left
     */
    public Invariants(SavepointClient client, StackSettings stack, Map<String, String> datasource,
            Map<String, Object> kafkaAdmin, String checkpointSchema, String schedulerSchema, Duration sweeperWait) {
        this.client = client;
        this.catalog = new Catalog(datasource.get("quarkus.datasource.jdbc.url"),
                datasource.get("quarkus.datasource.username"), datasource.get("quarkus.datasource.password"),
                checkpointSchema, schedulerSchema);
        this.objects = new StoredObjects(stack);
        this.topics = new TopicScan(kafkaAdmin);
        this.sweeperWait = sweeperWait;
    }

    /** Checks every invariant; the list holds one verdict per invariant, in the order of the table. */
    public List<Verdict> check(List<Run> runs, List<Chaos.Zombie> zombies) {
        List<String> ids = runs.stream().map(Run::runId).toList();
        List<Verdict> verdicts = new ArrayList<>();
        verdicts.add(Verdict.of("every run SUCCEEDED, a built-in one with its twin's SHA-256", succeeded(runs)));
        List<Catalog.Checkpoint> rows = catalog.checkpoints(ids);
        verdicts.add(Verdict.of("every COMMITTED checkpoint readable with its manifest's hashes", readable(rows)));
        verdicts.add(Verdict.of("after the sweeper: no object without a live row", afterSweeper(ids)));
        verdicts.add(Verdict.of("attempts = failures + 1 per run", attemptsAreFailuresPlusOne(ids)));
        verdicts.add(Verdict.of("no event applied twice: one launch per attempt", oneLaunchPerAttempt(ids)));
        verdicts.add(Verdict.of("no event lost: every CheckpointWritten in the catalog", noCheckpointLost(ids,
                rows)));
        verdicts.add(Verdict.of("no record of a run in a .dlq topic (none was poison)", noDeadLetters(ids)));
        verdicts.add(Verdict.of("a zombie changed nothing: no commit of it after its successor started",
                zombiesChangedNothing(zombies, rows)));
        return verdicts;
    }

    private List<String> succeeded(List<Run> runs) {
        List<String> broken = new ArrayList<>();
        for (Run r : runs) {
            JsonNode run = client.run(r.runId());
            String state = run.path("state").asText();
            String sha = run.path("finalParamsSha256").asText();
            if (!state.equals("SUCCEEDED")) {
                broken.add(r.kind() + " run " + r.runId() + " ended " + state + " (" + run.path("lastFailureMessage")
                        .asText("") + ")");
            } else if (r.twinSha256() != null && !r.twinSha256().equals(sha)) {
                broken.add(r.kind() + " run " + r.runId() + " has SHA-256 " + sha + ", its twin " + r.twinSha256());
            }
        }
        return broken;
    }

    private List<String> readable(List<Catalog.Checkpoint> rows) {
        List<String> broken = new ArrayList<>();
        rows.stream().filter(c -> c.state().equals("COMMITTED"))
                .forEach(c -> broken.addAll(objects.problems(c.id(), c.prefix())));
        return broken;
    }

    /** Waits for the sweeper to clear the folders no live row refers to; what is left then is a violation. */
    private List<String> afterSweeper(List<String> ids) {
        List<String> orphans = new ArrayList<>();
        Ports.await(sweeperWait, () -> {
            orphans.clear();
            orphans.addAll(orphans(ids));
            return orphans.isEmpty();
        });
        return orphans;
    }

    private List<String> orphans(List<String> ids) {
        Set<String> live = new HashSet<>();
        catalog.checkpoints(ids).stream().filter(c -> LIVE.contains(c.state())).forEach(c -> live.add(c.prefix()));
        List<String> orphans = new ArrayList<>();
        for (String id : ids) {
            for (String key : objects.keys(id)) {
                Matcher m = FOLDER.matcher(key);
                if (m.matches() && !live.contains(m.group(1))) {
                    orphans.add(key + " (no live row)");
                }
            }
        }
        return orphans;
    }

    private List<String> attemptsAreFailuresPlusOne(List<String> ids) {
        Map<String, List<Catalog.Attempt>> byRun = new HashMap<>();
        catalog.attempts(ids).forEach(a -> byRun.computeIfAbsent(a.runId(), k -> new ArrayList<>()).add(a));
        List<String> broken = new ArrayList<>();
        for (String id : ids) {
            List<Catalog.Attempt> attempts = byRun.getOrDefault(id, List.of());
            long failed = attempts.stream().filter(a -> a.state().equals("FAILED")).count();
            if (attempts.size() != failed + 1) {
                broken.add("run " + id + ": " + attempts.size() + " attempts, " + failed + " failed ("
                        + attempts.stream().map(a -> a.attempt() + " " + a.state()).toList() + ")");
            }
        }
        return broken;
    }

    private List<String> oneLaunchPerAttempt(List<String> ids) {
        Map<String, Long> attempts = new HashMap<>();
        catalog.attempts(ids).forEach(a -> attempts.merge(a.runId(), 1L, Long::sum));
        List<String> broken = new ArrayList<>();
        for (String[] l : catalog.launches(ids)) {
            long launches = Long.parseLong(l[1]);
            if (launches != attempts.getOrDefault(l[0], 0L)) {
                broken.add("run " + l[0] + " was launched " + launches + " times for " + attempts.get(l[0])
                        + " attempts");
            }
        }
        return broken;
    }

    private List<String> noCheckpointLost(List<String> ids, List<Catalog.Checkpoint> rows) {
        Set<String> runs = Set.copyOf(ids);
        Set<String> cataloged = new HashSet<>();
        rows.forEach(c -> cataloged.add(c.id()));
        List<String> broken = new ArrayList<>();
        topics.readToEnd(List.of(Topics.CHECKPOINTS), r -> {
            if (r.value() == null || !runs.contains(r.key())) {
                return;
            }
            JsonNode event;
            try {
                event = Json.mapper().readTree(r.value());
            } catch (java.io.IOException notJson) {
                broken.add("an unreadable record of run " + r.key() + " at offset " + r.offset());
                return;
            }
            String id = event.path("checkpointId").asText("");
            if (event.path("type").asText().equals("CheckpointWritten") && !cataloged.contains(id)) {
                broken.add("checkpoint " + id + " (run " + r.key() + ", step " + event.path("step").asLong()
                        + ", attempt " + event.path("attempt").asInt() + ") written but not in the catalog");
            }
        });
        return broken;
    }

    private List<String> noDeadLetters(List<String> ids) {
        Set<String> runs = Set.copyOf(ids);
        List<String> broken = new ArrayList<>();
        topics.readToEnd(List.of(Topics.dlq(Topics.RUNS), Topics.dlq(Topics.CHECKPOINTS), Topics.dlq(Topics.COMMANDS)),
                r -> {
                    if (runs.contains(r.key())) {
                        String value = r.value() == null ? "" : new String(r.value());
                        broken.add(r.topic() + "@" + r.offset() + ": " + value.substring(0, Math.min(160,
                                value.length())));
                    }
                });
        return broken;
    }

    private List<String> zombiesChangedNothing(List<Chaos.Zombie> zombies, List<Catalog.Checkpoint> rows) {
        List<String> ids = zombies.stream().map(Chaos.Zombie::runId).distinct().toList();
        List<Catalog.Attempt> attempts = ids.isEmpty() ? List.of() : catalog.attempts(ids);
        List<String> broken = new ArrayList<>();
        for (Chaos.Zombie z : zombies) {
            attempts.stream().filter(a -> a.runId().equals(z.runId()) && a.attempt() == z.attempt() + 1
                    && a.startedAt() != null).findFirst().ifPresent(successor -> rows.stream()
                    .filter(c -> c.runId().equals(z.runId()) && c.attempt() == z.attempt() && c.committedAt() != null
                            && c.committedAt().isAfter(successor.startedAt()))
                    .forEach(c -> broken.add("run " + z.runId() + ": checkpoint at step " + c.step() + " of zombie "
                            + "attempt " + z.attempt() + " committed at " + c.committedAt() + ", after attempt "
                            + successor.attempt() + " started at " + successor.startedAt())));
        }
        return broken;
    }
}
