package dev.savepoint.stack;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Locale;

/** The CLI's run commands against scheduler-service (and checkpoint-service for the loss a watch shows). */
final class RunCommands {

    private final ApiClient api;
    private final PrintStream out;
    private final boolean json;

    RunCommands(ApiClient api, PrintStream out, boolean json) {
        this.api = api;
        this.out = out;
        this.json = json;
    }

    int submit(byte[] spec) {
        return printRun(api.scheduler("POST", "/api/runs", spec));
    }

    int list(int page, int size) {
        JsonNode runs = api.scheduler("GET", "/api/runs?page=" + page + "&size=" + size, null);
        if (json) {
            ApiCli.printJson(out, runs);
            return 0;
        }
        Table table = new Table("RUN", "STATE", "STEP", "ATTEMPT", "RESTARTS", "GOODPUT", "LOST STEPS", "PARENT");
        runs.forEach(r -> table.row(r.path("runId").asText(), r.path("state").asText(), text(r, "step"),
                r.path("currentAttempt").asInt(), r.path("restarts").asInt(), percent(r.path("goodput")),
                r.path("accounting").path("lostSteps").asLong(), text(r, "parentRunId")));
        table.print(out);
        return 0;
    }

    int show(String runId) {
        JsonNode run = api.scheduler("GET", "/api/runs/" + runId, null);
        JsonNode attempts = api.scheduler("GET", "/api/runs/" + runId + "/attempts", null);
        if (json) {
            run = ((com.fasterxml.jackson.databind.node.ObjectNode) run.deepCopy()).set("attempts", attempts);
            ApiCli.printJson(out, run);
            return 0;
        }
        printRun(run);
        JsonNode acc = run.path("accounting");
        out.printf(Locale.ROOT, "goodput %s: wall %.1f s = training %.1f s (recompute %.1f s) + startup %.1f s "
                + "+ relaunch wait %.1f s + other; %d steps lost%n", percent(run.path("goodput")),
                acc.path("wallSeconds").asDouble(), acc.path("trainingSeconds").asDouble(),
                acc.path("recomputeSeconds").asDouble(), acc.path("startupSeconds").asDouble(),
                acc.path("relaunchWaitSeconds").asDouble(), acc.path("lostSteps").asLong());
        Table table = new Table("ATTEMPT", "STATE", "CAUSE", "EXIT", "RESUMED FROM", "LAST STEP", "EXACT",
                "TRAINING S", "WAIT S", "RECOMPUTE S", "LOST STEPS");
        for (JsonNode a : attempts) {
            JsonNode cost = acc.path("attempts").path(a.path("attempt").asInt() - 1);
            table.row(a.path("attempt").asInt(), a.path("state").asText(), text(a, "cause"), text(a, "exitCode"),
                    a.hasNonNull("resumedFromStep") ? "step " + a.get("resumedFromStep").asText() : "start",
                    text(a, "lastStep"), text(a, "resumeExact"), seconds(cost.path("trainingSeconds")),
                    seconds(cost.path("startupSeconds").asDouble() + cost.path("relaunchWaitSeconds").asDouble()),
                    seconds(cost.path("recomputeSeconds")), cost.path("lostSteps").asLong());
        }
        table.print(out);
        return 0;
    }

    int command(String runId, String what) {
        return printRun(api.scheduler("POST", "/api/runs/" + runId + "/" + what, new byte[0]));
    }

    int fork(String runId, byte[] body) {
        return printRun(api.scheduler("POST", "/api/runs/" + runId + "/fork", body));
    }

    /**
     * One progress line per change until the run ends: state, step, loss at the newest checkpoint, steps/s since the
     * previous poll, attempt and newest checkpoint. With {@code --json} one JSON object per line. Exit 0 when the run
     * SUCCEEDED, 6 when it GAVE_UP or was CANCELLED.
     */
    int watch(String runId, int intervalMillis) {
        long lastStep = -1;
        long lastAt = 0;
        String lastLine = "";
        while (true) {
            JsonNode run = api.scheduler("GET", "/api/runs/" + runId, null);
            long now = System.nanoTime();
            long step = run.path("step").asLong(-1);
            double rate = lastStep >= 0 && step > lastStep ? (step - lastStep) / ((now - lastAt) / 1e9) : 0;
            String state = run.path("state").asText();
            String line = json ? run.toString() : String.format(Locale.ROOT,
                    "%-9s step %s  loss %s  %.1f steps/s  attempt %d  checkpoint %s  goodput %s", state,
                    step < 0 ? "-" : step, loss(runId), rate, run.path("currentAttempt").asInt(),
                    run.hasNonNull("newestCommittedStep") ? "step " + run.get("newestCommittedStep").asText() : "-",
                    percent(run.path("goodput")));
            if (!line.equals(lastLine)) {
                out.println(line);
                lastLine = line;
            }
            if (step != lastStep) {
                lastStep = step;
                lastAt = now;
            }
            switch (state) {
                case "SUCCEEDED" -> {
                    return 0;
                }
                case "GAVE_UP", "CANCELLED" -> {
                    return ApiCli.EXIT_RUN_FAILED;
                }
                default -> sleep(intervalMillis);
            }
        }
    }

    /** The loss at the run's newest committed checkpoint, "-" when there is none or checkpoint-service is away. */
    private String loss(String runId) {
        try {
            JsonNode latest = api.checkpoints("GET", "/api/runs/" + runId + "/checkpoints/latest", null);
            JsonNode loss = latest.path("metrics").path("loss");
            return loss.isNumber() ? String.format(Locale.ROOT, "%.4f", loss.asDouble()) : "-";
        } catch (ApiClient.ApiException e) {
            return "-";
        }
    }

    private int printRun(JsonNode run) {
        if (json) {
            ApiCli.printJson(out, run);
            return 0;
        }
        out.printf("run %s  %s  attempt %d  step %s  goodput %s%s%n", run.path("runId").asText(),
                run.path("state").asText(), run.path("currentAttempt").asInt(), text(run, "step"),
                percent(run.path("goodput")), run.hasNonNull("parentRunId") ? "  forked from "
                        + run.get("parentRunId").asText() + " at checkpoint " + run.path("parentCheckpointId").asText()
                        : "");
        if (run.hasNonNull("lastFailureReason")) {
            out.println("last failure: " + run.get("lastFailureReason").asText() + " "
                    + run.path("lastFailureMessage").asText());
        }
        return 0;
    }

    static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : "-";
    }

    private static String percent(JsonNode goodput) {
        return goodput.isNumber() ? String.format(Locale.ROOT, "%.1f%%", goodput.asDouble() * 100) : "-";
    }

    private static String seconds(JsonNode value) {
        return seconds(value.asDouble());
    }

    private static String seconds(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static void sleep(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiClient.ApiException("interrupted", ApiCli.EXIT_FAILURE);
        }
    }
}
