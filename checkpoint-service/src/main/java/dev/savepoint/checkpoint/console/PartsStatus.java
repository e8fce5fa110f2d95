package dev.savepoint.checkpoint.console;

import dev.savepoint.checkpoint.console.SchedulerClient.Answer;
import io.quarkus.arc.Arc;
import io.quarkus.qute.TemplateGlobal;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.health.SmallRyeHealthReporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Which of the parts the console depends on is down, checked every {@code savepoint.console.parts-period} in the
 * background (so that a page never waits for a dead part): this service's own readiness checks (PostgreSQL, S3,
 * Kafka) and scheduler-service's readiness. Every console page shows a banner naming each part that is down, since
 * when, why, and what that means for the user's runs.
 */
@ApplicationScoped
public class PartsStatus {

    private static final Logger LOG = Logger.getLogger(PartsStatus.class);
    private static final Duration HEALTH_DEADLINE = Duration.ofSeconds(10);

    /** A part that is down: its name, since when, why (as its check said), and what it means for runs. */
    public record Outage(String part, Instant since, String why, String effect) {
        public String sinceText() {
            return since.toString().substring(0, 19).replace('T', ' ') + " UTC";
        }
    }

    /** The parts a banner can name, each with what its outage means for the user's runs. */
    enum Part {
        POSTGRESQL("PostgreSQL (the catalog)", "The catalog can be neither read nor written: checkpoint events wait "
                + "in Kafka and are cataloged when it returns; training goes on."),
        S3("S3 (the checkpoint files)", "Checkpoints can be neither verified nor downloaded: their events wait in "
                + "Kafka; attempts retry their uploads with backoff and report the checkpoints they skip."),
        KAFKA("Kafka (the events)", "No event reaches the catalog or the scheduler: attempts keep training and "
                + "send their events when the broker returns."),
        SCHEDULER("scheduler-service", "Run states, restarts and the actions (submit, cancel, resume, fork) are "
                + "unavailable; failures are detected and runs relaunched when it returns.");

        final String title;
        final String effect;

        Part(String title, String effect) {
            this.title = title;
            this.effect = effect;
        }

        /** The part a readiness check of this service is about, or null for a check the banner does not name. */
        static Part ofCheck(String name) {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.equals("s3")) {
                return S3;
            }
            if (n.contains("database")) {
                return POSTGRESQL;
            }
            if (n.contains("messaging") || n.contains("kafka")) {
                return KAFKA;
            }
            return null;
        }
    }

    private final SmallRyeHealthReporter health;
    private final SchedulerClient scheduler;
    private final Map<Part, Outage> down = new ConcurrentHashMap<>();

    public PartsStatus(SmallRyeHealthReporter health, SchedulerClient scheduler) {
        this.health = health;
        this.scheduler = scheduler;
    }

    /** The parts that are down now, in a fixed order (database, storage, broker, scheduler). */
    public List<Outage> outages() {
        List<Outage> out = new ArrayList<>();
        for (Part p : Part.values()) {
            Outage o = down.get(p);
            if (o != null) {
                out.add(o);
            }
        }
        return out;
    }

    /** Whether the catalog's database is down as of the last check. */
    public boolean catalogDown() {
        return down.containsKey(Part.POSTGRESQL);
    }

    @Scheduled(identity = "console-parts", every = "${savepoint.console.parts-period}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        Map<Part, String> now = new java.util.EnumMap<>(Part.class);
        try {
            JsonObject readiness = health.getReadinessAsync().await().atMost(HEALTH_DEADLINE).getPayload();
            for (JsonValue v : readiness.getJsonArray("checks")) {
                JsonObject check = v.asJsonObject();
                Part part = Part.ofCheck(check.getString("name", ""));
                if (part != null && !"UP".equals(check.getString("status", "DOWN"))) {
                    now.merge(part, why(check), (a, b) -> a + "; " + b);
                }
            }
        } catch (RuntimeException e) {
            // The checks themselves hung or failed: say so on the part that is most likely the cause, the catalog.
            now.put(Part.POSTGRESQL, "this service's readiness checks did not answer within "
                    + HEALTH_DEADLINE.toSeconds() + " s (" + e.getClass().getSimpleName() + ")");
        }
        Answer s = scheduler.readiness();
        if (!s.ok()) {
            now.put(Part.SCHEDULER, s.status() == 503 ? "not ready: " + downChecks(s) : s.message());
        }
        Instant at = Instant.now();
        for (Part p : Part.values()) {
            String why = now.get(p);
            if (why == null) {
                if (down.remove(p) != null) {
                    LOG.infof("%s is answering again", p.title);
                }
            } else {
                down.compute(p, (k, old) -> {
                    if (old == null) {
                        LOG.warnf("%s is down: %s", p.title, why);
                    }
                    return new Outage(p.title, old == null ? at : old.since(), why, p.effect);
                });
            }
        }
    }

    /** What a failed check said: its error when it gave one, otherwise that it is DOWN. */
    private static String why(JsonObject check) {
        JsonObject data = check.getJsonObject("data");
        if (data != null) {
            for (String key : List.of("error", "message", "reason")) {
                if (data.containsKey(key)) {
                    return shorten(data.get(key).toString().replaceAll("^\"|\"$", ""));
                }
            }
            if (!data.isEmpty()) {
                return shorten(data.toString());
            }
        }
        return "its check is DOWN";
    }

    /** The names of the scheduler's checks that are down. */
    private static String downChecks(Answer a) {
        List<String> names = new ArrayList<>();
        if (a.body() != null) {
            a.body().path("checks").forEach(c -> {
                if (!"UP".equals(c.path("status").asText())) {
                    names.add(c.path("name").asText());
                }
            });
        }
        return names.isEmpty() ? "its readiness is DOWN" : String.join(", ", names) + " down there";
    }

    private static String shorten(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }

    /** The console templates' global {@code outages}: what every page's banner lists. */
    @TemplateGlobal
    public static final class Globals {
        private Globals() {
        }

        static List<Outage> outages() {
            return Arc.container().instance(PartsStatus.class).get().outages();
        }
    }
}
