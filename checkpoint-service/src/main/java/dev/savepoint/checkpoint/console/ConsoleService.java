package dev.savepoint.checkpoint.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.checkpoint.Attempt;
import dev.savepoint.checkpoint.CatalogException;
import dev.savepoint.checkpoint.Checkpoint;
import dev.savepoint.checkpoint.Run;
import dev.savepoint.checkpoint.RunState;
import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.checkpoint.console.ConsoleViews.AttemptLine;
import dev.savepoint.checkpoint.console.ConsoleViews.CheckpointLine;
import dev.savepoint.checkpoint.console.ConsoleViews.Figure;
import dev.savepoint.checkpoint.console.ConsoleViews.Lineage;
import dev.savepoint.checkpoint.console.ConsoleViews.RunLine;
import dev.savepoint.checkpoint.console.ConsoleViews.RunPage;
import dev.savepoint.checkpoint.console.ConsoleViews.RunsPage;
import dev.savepoint.checkpoint.repository.AttemptRepository;
import dev.savepoint.checkpoint.repository.CheckpointRepository;
import dev.savepoint.checkpoint.repository.ConsoleRepository;
import dev.savepoint.checkpoint.repository.ConsoleRepository.CheckpointRow;
import dev.savepoint.checkpoint.repository.ConsoleRepository.Cursor;
import dev.savepoint.checkpoint.repository.ConsoleRepository.RunFilter;
import dev.savepoint.checkpoint.repository.ConsoleRepository.RunRow;
import dev.savepoint.checkpoint.repository.RunRepository;
import dev.savepoint.checkpoint.retention.CheckpointState;
import dev.savepoint.checkpoint.retention.CheckpointView;
import dev.savepoint.checkpoint.retention.RetentionDecision;
import dev.savepoint.checkpoint.retention.RetentionPolicy;
import dev.savepoint.contracts.spec.RetentionSpec;
import dev.savepoint.contracts.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the console's pages from the catalog (runs, attempts, checkpoints, retention) and, where the scheduler is
 * the authority (its run state, restarts, goodput, lineage), from scheduler-service with the user's credentials.
 * Anything the scheduler does not answer is shown as {@link ConsoleViews#NONE}.
 */
@ApplicationScoped
public class ConsoleService {

    private static final Set<String> SCHEDULER_LIVE = Set.of("SUBMITTED", "LAUNCHING", "RUNNING", "BACKOFF", "FAILED");
    private static final Set<String> SCHEDULER_RESUMABLE = Set.of("GAVE_UP", "CANCELLED");

    private final ConsoleRepository queries;
    private final RunRepository runs;
    private final AttemptRepository attempts;
    private final CheckpointRepository checkpoints;
    private final SchedulerClient scheduler;
    private final CheckpointConfig.Console config;

    public ConsoleService(ConsoleRepository queries, RunRepository runs, AttemptRepository attempts,
            CheckpointRepository checkpoints, SchedulerClient scheduler,
            CheckpointConfig config) {
        this.queries = queries;
        this.runs = runs;
        this.attempts = attempts;
        this.checkpoints = checkpoints;
        this.scheduler = scheduler;
        this.config = config.console();
    }

    /** The runs list: one keyset page matching the filter, each row with the scheduler's numbers where it answers. */
    @Transactional
    public RunsPage runs(String text, String state, String after, String authorization, boolean operator) {
        RunFilter filter = filter(text, state);
        Cursor cursor = cursor(after);
        int size = config.runsPerPage();
        List<RunRow> rows = queries.runs(filter, cursor, size + 1);
        boolean more = rows.size() > size;
        List<RunRow> page = more ? rows.subList(0, size) : rows;
        Map<String, JsonNode> fromScheduler = scheduler.runs(page.stream().map(RunRow::runId).toList(), authorization);
        List<RunLine> lines = page.stream().map(r -> line(r, fromScheduler.get(r.runId()))).toList();
        RunRow last = page.isEmpty() ? null : page.get(page.size() - 1);
        String next = more ? last.createdAt() + "," + last.runId() : null;
        return new ConsoleViews.RunsPage(lines, filter.text(), filter.state(),
                Arrays.stream(RunState.values()).map(Enum::name).toList(), queries.countRuns(filter), next,
                cursor == null, operator);
    }

    /** A stamp that changes when any run changes: the live list reloads its rows when it does. */
    @Transactional
    public String runsStamp() {
        return queries.runsStamp();
    }

    static RunFilter filter(String text, String state) {
        String t = text == null || text.isBlank() ? null : text.trim();
        if (t != null && t.length() > 128) {
            throw CatalogException.invalid("query parameter 'q' may have at most 128 characters, got " + t.length());
        }
        String s = state == null || state.isBlank() ? null : state.trim().toUpperCase(Locale.ROOT);
        if (s != null && Arrays.stream(RunState.values()).noneMatch(v -> v.name().equals(s))) {
            throw CatalogException.invalid("query parameter 'state' must be one of "
                    + Arrays.toString(RunState.values()) + ", got '" + Ids.printable(state) + "'");
        }
        return new RunFilter(t, s);
    }

    static Cursor cursor(String after) {
        if (after == null || after.isBlank()) {
            return null;
        }
        int comma = after.indexOf(',');
        try {
            String runId = after.substring(comma + 1);
            if (comma < 0 || !Ids.isRunId(runId)) {
                throw new IllegalArgumentException("no run id");
            }
            return new Cursor(Instant.parse(after.substring(0, comma)), runId);
        } catch (RuntimeException e) {
            throw CatalogException.invalid("query parameter 'after' must be <created-at>,<run id> as the next-page "
                    + "link gives it, got '" + Ids.printable(after) + "'");
        }
    }

    private static RunLine line(RunRow r, JsonNode s) {
        Long step = s != null && s.hasNonNull("step") ? Long.valueOf(s.get("step").asLong()) : r.currentStep();
        Long max = r.maxSteps() != null ? r.maxSteps() : longField(s, "maxSteps");
        Integer percent = step == null || max == null || max == 0 ? null : (int) Math.min(100, step * 100 / max);
        String failure = s != null && s.hasNonNull("lastFailureReason") ? s.get("lastFailureReason").asText()
                + (s.hasNonNull("lastFailureMessage") ? ": " + s.get("lastFailureMessage").asText() : "")
                : r.lastCause() == null ? "" : r.lastCause() + (r.lastMessage() == null ? "" : ": " + r.lastMessage());
        return new RunLine(r.runId(), r.name() == null ? "" : r.name(), text(s, "state", r.state()),
                step == null ? ConsoleViews.NONE : step.toString(), max == null ? ConsoleViews.NONE : max.toString(),
                percent, r.currentAttempt(), text(s, "restarts", ConsoleViews.NONE), goodput(s),
                r.kept(), bytes(r.keptBytes()), failure);
    }

    /** The run page: chart, checkpoint table (one page of it), attempt timeline and lineage. */
    @Transactional
    public RunPage run(String runId, int page, String authorization, boolean operator) {
        Run run = runs.findById(runId);
        JsonNode s = scheduler.run(runId, authorization).orElse(null);
        if (run == null && s == null) {
            throw CatalogException.notFound("run '" + runId + "' does not exist (no event has named it yet, and "
                    + "scheduler-service does not know it or did not answer)");
        }
        RetentionSpec policy = run == null ? RetentionSpec.defaults() : run.retentionOrDefault();
        String metric = policy.metric() == null ? "loss" : policy.metric();
        List<CheckpointRow> rows = queries.checkpoints(runId, metric);
        RetentionDecision decision = decide(runId, policy, metric, rows);
        Set<String> going = new HashSet<>(decision.toDelete());
        List<Attempt> tried = run == null ? List.of() : attempts.ofRun(runId);
        Map<String, Long> stepById = new HashMap<>();
        rows.forEach(c -> stepById.put(c.id(), c.step()));

        List<RunChart.Mark> marks = new ArrayList<>(rows.size());
        for (CheckpointRow c : rows) {
            String keptBy = decision.reasons().get(c.id());
            String kind = RunChart.kind(c.state(), c.pinned(), keptBy, going.contains(c.id()));
            marks.add(new RunChart.Mark(c.id(), c.step(), c.attempt(), c.loss(), kind, label(c, kind, keptBy)));
        }
        List<RunChart.Span> spans = tried.stream().map(a -> new RunChart.Span(a.attempt,
                resumeStep(a, stepById), a.lastStep, a.startedAt, a.endedAt, a.cause)).toList();
        Long maxSteps = run != null && run.maxSteps != null ? run.maxSteps : longField(s, "maxSteps");

        int per = config.checkpointsPerPage();
        int pages = Math.max(1, (rows.size() + per - 1) / per);
        int p = Math.max(0, Math.min(page, pages - 1));
        List<CheckpointLine> table = table(rows.subList(Math.min(rows.size(), p * per),
                Math.min(rows.size(), (p + 1) * per)), marks.subList(Math.min(rows.size(), p * per),
                Math.min(rows.size(), (p + 1) * per)));

        String state = text(s, "state", run == null ? "UNKNOWN" : run.state.name());
        Long step = s != null && s.hasNonNull("step") ? Long.valueOf(s.get("step").asLong())
                : run == null ? null : run.currentStep;
        return new RunPage(runId, run != null && run.name != null ? run.name : text(s, "name", ""), state,
                step == null ? ConsoleViews.NONE : step.toString(),
                maxSteps == null ? ConsoleViews.NONE : maxSteps.toString(),
                text(s, "restarts", ConsoleViews.NONE), goodput(s), breakdown(s), bitExact(s),
                run != null && run.finalParamsSha256 != null ? run.finalParamsSha256 : text(s, "finalParamsSha256", null),
                parent(runId, s), children(runId), RunChart.svg(marks, spans, maxSteps), rows.size(), table, p + 1, pages,
                p > 0 ? p - 1 : null, p + 1 < pages ? p + 1 : null,
                timeline(spans, tried), operator, s != null && SCHEDULER_LIVE.contains(state),
                s != null && SCHEDULER_RESUMABLE.contains(state));
    }

    /**
     * Retention's decision from the rows already read (RetentionService.decide's, without loading every committed
     * checkpoint as an entity with its file list: a run may have 10,000).
     */
    private RetentionDecision decide(String runId, RetentionSpec policy, String metric, List<CheckpointRow> rows) {
        Set<String> leased = queries.leased(runId);
        List<CheckpointView> committed = rows.stream().filter(c -> "COMMITTED".equals(c.state()))
                .map(c -> new CheckpointView(c.id(), c.step(), c.attempt(), c.createdAt(), CheckpointState.COMMITTED,
                        c.totalBytes(), c.metric() == null ? Map.of() : Map.of(metric, c.metric()), c.pinned(),
                        leased.contains(c.id()))).toList();
        return RetentionPolicy.select(policy, committed);
    }

    private List<CheckpointLine> table(List<CheckpointRow> rows, List<RunChart.Mark> marks) {
        Map<String, List<String>> files = new HashMap<>();
        if (!rows.isEmpty()) {
            checkpoints.list("id in ?1", rows.stream().map(CheckpointRow::id).toList())
                    .forEach((Checkpoint c) -> files.put(c.id, c.files.stream().map(f -> f.name()).toList()));
        }
        List<CheckpointLine> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            CheckpointRow c = rows.get(i);
            RunChart.Mark m = marks.get(i);
            boolean committed = "COMMITTED".equals(c.state());
            out.add(new CheckpointLine(c.id(), c.step(), c.attempt(), c.state(), m.kind(), m.label(), c.pinned(),
                    c.loss() == null ? ConsoleViews.NONE : RunChart.label(c.loss()), bytes(c.totalBytes()),
                    committed ? files.getOrDefault(c.id(), List.of()) : List.of(), committed));
        }
        return out;
    }

    private static String label(CheckpointRow c, String kind, String keptBy) {
        return switch (kind) {
            case "latest", "best", "every-n", "pinned", "leased" -> "kept: " + (keptBy == null ? kind : keptBy);
            case "deleting" -> "to delete: " + (keptBy == null ? "retention" : keptBy);
            default -> c.state().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }

    private Long resumeStep(Attempt a, Map<String, Long> stepById) {
        if (a.resumedFromCheckpointId == null) {
            return a.attempt > 1 ? 0L : null;
        }
        Long step = stepById.get(a.resumedFromCheckpointId);
        return step != null ? step : queries.stepOf(a.resumedFromCheckpointId).orElse(null);
    }

    private static List<AttemptLine> timeline(List<RunChart.Span> spans, List<Attempt> tried) {
        List<AttemptLine> out = new ArrayList<>();
        for (int i = 0; i < tried.size(); i++) {
            Attempt a = tried.get(i);
            RunChart.Span next = i + 1 < tried.size() ? spans.get(i + 1) : null;
            String lost = ConsoleViews.NONE;
            String recovery = ConsoleViews.NONE;
            if (next != null && a.lastStep != null) {
                lost = Long.toString(Math.max(0, a.lastStep - (next.resumedFromStep() == null ? 0
                        : next.resumedFromStep())));
                recovery = Optional.ofNullable(RunChart.recovery(a.endedAt, next.startedAt())).orElse(ConsoleViews.NONE);
            }
            String exact = a.resumeExact == null ? ConsoleViews.NONE : a.resumeExact ? "yes" : "no";
            Long from = spans.get(i).resumedFromStep();
            out.add(new AttemptLine(a.attempt, a.state.name(), time(a.startedAt), time(a.endedAt),
                    a.cause == null ? "" : a.cause, a.message == null ? "" : a.message,
                    a.exitCode == null ? ConsoleViews.NONE : a.exitCode.toString(),
                    a.resumedFromCheckpointId == null && a.attempt == 1 ? "start"
                            : "step " + (from == null ? ConsoleViews.NONE : from),
                    a.resumedFromCheckpointId, exact,
                    a.resumeDifferences == null ? "" : String.join("; ", a.resumeDifferences),
                    a.lastStep == null ? ConsoleViews.NONE : a.lastStep.toString(), lost, recovery));
        }
        return out;
    }

    /** The parent: the scheduler's lineage when it reports one, else the first attempt's resume point in the catalog. */
    private Lineage parent(String runId, JsonNode s) {
        String parentRun = text(s, "parentRunId", null);
        if (parentRun != null) {
            String checkpoint = text(s, "parentCheckpointId", null);
            String step = checkpoint == null ? ConsoleViews.NONE
                    : queries.stepOf(checkpoint).map(String::valueOf).orElse(ConsoleViews.NONE);
            return new Lineage(parentRun, checkpoint, step);
        }
        return queries.parent(runId).map(f -> new Lineage(f.parentRunId(), f.checkpointId(), Long.toString(f.step())))
                .orElse(null);
    }

    private List<Lineage> children(String runId) {
        return queries.children(runId).stream()
                .map(f -> new Lineage(f.childRunId(), f.checkpointId(), Long.toString(f.step()))).toList();
    }

    /** The goodput (0..1) as a percentage, or "—" while the scheduler does not report it. */
    static String goodput(JsonNode s) {
        if (s == null || !s.hasNonNull("goodput") || !s.get("goodput").isNumber()) {
            return ConsoleViews.NONE;
        }
        return String.format(Locale.ROOT, "%.1f%%", s.get("goodput").asDouble() * 100);
    }

    /** The goodput breakdown: every number of the run's object fields whose name mentions goodput or breakdown. */
    static List<Figure> breakdown(JsonNode s) {
        List<Figure> out = new ArrayList<>();
        if (s == null) {
            return out;
        }
        s.fields().forEachRemaining(field -> {
            String name = field.getKey().toLowerCase(Locale.ROOT);
            if (field.getValue().isObject() && (name.contains("breakdown") || name.contains("goodput"))) {
                field.getValue().fields().forEachRemaining(part -> {
                    if (part.getValue().isNumber() || part.getValue().isTextual()) {
                        out.add(new Figure(part.getKey(), part.getValue().asText()));
                    }
                });
            }
        });
        return out;
    }

    private static String bitExact(JsonNode s) {
        if (s == null || !s.has("bitExact")) {
            return ConsoleViews.NONE;
        }
        return s.get("bitExact").asBoolean() ? "yes"
                : "no" + (s.hasNonNull("determinismNote") ? ": " + s.get("determinismNote").asText() : "");
    }

    private static String text(JsonNode s, String field, String otherwise) {
        return s != null && s.hasNonNull(field) ? s.get(field).asText() : otherwise;
    }

    private static Long longField(JsonNode s, String field) {
        return s != null && s.hasNonNull(field) && s.get(field).canConvertToLong() ? s.get(field).asLong() : null;
    }

    private static String time(Instant t) {
        return t == null ? ConsoleViews.NONE : t.toString().replace('T', ' ').replaceFirst("\\.\\d+Z$", "Z");
    }

    /** Bytes for people (binary units). */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
