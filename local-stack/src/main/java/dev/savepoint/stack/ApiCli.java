package dev.savepoint.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.contracts.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./savepoint run|runs|checkpoints|checkpoint ...}: runs and checkpoints through the services' APIs, with the
 * stored token. Tables by default, the API's JSON with {@code --json}; a refusal prints the API's message. Exit codes:
 * 0 done, 1 failure, 2 bad usage, 4 the API refused (bad input, unknown id, conflict, missing role), 5 a service
 * unreachable or failing, 6 a watched run ended without succeeding (GAVE_UP or CANCELLED).
 */
public final class ApiCli {

    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_REFUSED = 4;
    static final int EXIT_UNAVAILABLE = 5;
    static final int EXIT_RUN_FAILED = 6;

    static final String USAGE = """
            usage: ./savepoint run submit FILE              submit a run spec (JSON)
                   ./savepoint runs [--page N] [--size N]  list runs, newest first
                   ./savepoint run show ID                 a run, its goodput and its attempts
                   ./savepoint run watch ID                a live progress line until the run ends
                   ./savepoint run cancel|resume ID
                   ./savepoint run fork ID --checkpoint CK [--max-steps N] [--lr X] [--schedule JSON]
                   ./savepoint checkpoints RUN             a run's checkpoints and why each is kept
                   ./savepoint checkpoint pin|unpin|delete ID
                   ./savepoint checkpoint download ID [--to DIR]
                   add --json to print the API's JSON instead of a table""";

    private ApiCli() {
    }

    /** Runs one command against the APIs at these URLs with this token (how tests drive the CLI in-process). */
    public static int run(List<String> arguments, String schedulerUrl, String checkpointUrl, String token,
            PrintStream out, PrintStream err) {
        return run(arguments, new ApiClient.Endpoints(schedulerUrl, checkpointUrl, token), out, err);
    }

    static int run(List<String> arguments, ApiClient.Endpoints endpoints, PrintStream out, PrintStream err) {
        try {
            return dispatch(Args.of(arguments), new ApiClient(endpoints), out);
        } catch (Args.UsageException e) {
            err.println("savepoint: " + e.getMessage() + "\n\n" + USAGE);
            return EXIT_USAGE;
        } catch (ApiClient.ApiException e) {
            err.println("savepoint: " + e.getMessage());
            return e.exitCode;
        }
    }

    private static int dispatch(Args a, ApiClient api, PrintStream out) {
        RunCommands runs = new RunCommands(api, out, a.json());
        CheckpointCommands checkpoints = new CheckpointCommands(api, out, a.json());
        boolean oneWord = a.word(0).equals("runs") || a.word(0).equals("checkpoints");
        String command = oneWord || a.words() < 2 ? a.word(0) : a.word(0) + " " + a.word(1);
        return switch (command) {
            case "runs" -> runs.list(a.expectWords(1).intOption("--page", 0), a.intOption("--size", 50));
            case "run submit" -> runs.submit(readFile(a.expectWords(3).word(2)));
            case "run show" -> runs.show(a.expectWords(3).word(2));
            case "run watch" -> runs.watch(a.expectWords(3).word(2), a.intOption("--interval", 1000));
            case "run cancel", "run resume" -> runs.command(a.expectWords(3).word(2), a.word(1));
            case "run fork" -> runs.fork(a.expectWords(3).word(2), forkBody(a));
            case "checkpoints" -> checkpoints.list(a.expectWords(2).word(1));
            case "checkpoint pin", "checkpoint unpin", "checkpoint delete" ->
                    checkpoints.change(a.expectWords(3).word(2), a.word(1));
            case "checkpoint download" -> checkpoints.download(a.expectWords(3).word(2),
                    Path.of(a.option("--to", ".")));
            default -> throw new Args.UsageException("unknown command '" + String.join(" ", a.wordList()) + "'");
        };
    }

    private static byte[] forkBody(Args a) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("checkpointId", a.required("--checkpoint"));
        if (a.has("--max-steps")) {
            body.put("maxSteps", a.intOption("--max-steps", 0));
        }
        if (a.has("--lr")) {
            try {
                body.put("learningRate", Double.parseDouble(a.option("--lr", "")));
            } catch (NumberFormatException e) {
                throw new Args.UsageException("--lr must be a number, got '" + a.option("--lr", "") + "'");
            }
        }
        if (a.has("--schedule")) {
            try {
                body.put("schedule", Json.mapper().readTree(a.option("--schedule", "")));
            } catch (IOException e) {
                throw new Args.UsageException("--schedule must be JSON, e.g. '{\"type\": \"cosine\"}': "
                        + e.getMessage());
            }
        }
        return Json.write(body);
    }

    private static byte[] readFile(String file) {
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            throw new Args.UsageException("cannot read the spec file '" + file + "': " + e);
        }
    }

    /** Prints the API's JSON answer, indented. */
    static void printJson(PrintStream out, JsonNode node) {
        try {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (IOException e) {
            throw new ApiClient.ApiException("cannot print the answer: " + e, EXIT_FAILURE);
        }
    }
}
