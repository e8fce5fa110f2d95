package dev.savepoint.stack;

import java.io.PrintStream;
import java.util.List;

/** {@code ./savepoint}: the command line of the local stack and the services. Exit 2 on bad usage, 1 on failure. */
public final class StackCli {

    static final String USAGE = """
            usage: ./savepoint <command>

              stack up|down|status   the local stack: Kafka (KRaft), PostgreSQL, S3 (S3Proxy)
              up|down|status         the stack and the three services (ports 8081, 8082, 8083)
              up --replicas N        N replicas of each service (1-9): replica k of a service on its port + 3k
                                     (trainer-service 8081, 8084, ...), logs in .savepoint/logs/SERVICE-k.log;
                                     down and status cover every replica
              demo                   start everything and run the demo: a run killed and resumed by itself
              attempt ...            run one training attempt in this process (see ./savepoint attempt --help)
              token create --role R [--name N] [--ttl D] | token list | token revoke ID
                                     API tokens (roles viewer, operator, admin, trainer); up stores an admin
                                     token in .savepoint/token (mode 600) and the CLI uses it
              run submit FILE        submit a run spec (JSON); prints the run
              runs [--page N] [--size N]
                                     runs, newest first: state, step, attempt, restarts, goodput, lost steps
              run show ID            a run, its goodput breakdown and its attempts
              run watch ID           a live progress line (step, loss, steps/s, attempt, last checkpoint) until
                                     the run ends
              run cancel ID | run resume ID
              run fork ID --checkpoint CK [--max-steps N] [--lr X] [--schedule JSON]
                                     a new run resuming from a committed checkpoint of run ID
              checkpoints RUN        a run's checkpoints, their state and why retention keeps them
              checkpoint pin|unpin|delete ID
              checkpoint download ID [--to DIR]
                                     every file and the manifest into DIR/ID/, SHA-256 checked
              help                   this text

            Run and checkpoint commands print tables; --json prints the API's JSON. They use .savepoint/token and
            the local services (every running replica), or SAVEPOINT_TOKEN, SAVEPOINT_SCHEDULER_URL and
            SAVEPOINT_CHECKPOINT_URL (each one URL or several separated by commas: a call goes on to the next
            when one cannot be reached or answers 502/503).
            Exit codes: 0 done, 1 failure, 2 bad usage, 3 stack status: not up, 4 the API refused (its message is
            printed: bad input, unknown id, conflict, missing role), 5 a service unreachable or failing, 6 run watch:
            the run ended without succeeding (GAVE_UP or CANCELLED).
            State and logs live in .savepoint/ (logs in .savepoint/logs/).""";

    private static final java.util.Set<String> API_COMMANDS = java.util.Set.of("run", "runs", "checkpoints",
            "checkpoint");

    private StackCli() {
    }

    /** The local services and the stored admin token, unless the environment names others. */
    static ApiClient.Endpoints endpoints(java.util.Map<String, String> env, Services services) {
        String scheduler = env.get("SAVEPOINT_SCHEDULER_URL");
        String checkpoints = env.get("SAVEPOINT_CHECKPOINT_URL");
        String token = env.get("SAVEPOINT_TOKEN");
        return new ApiClient.Endpoints(
                scheduler != null ? scheduler : services.runningUrls("scheduler-service"),
                checkpoints != null ? checkpoints : services.runningUrls("checkpoint-service"),
                token != null ? token : services.adminToken());
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help")) {
            (args.isEmpty() ? err : out).println(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        LocalStack stack = new LocalStack(StackSettings.fromEnvironment());
        try {
            int replicas = 1;
            if (args.size() == 3 && args.get(0).equals("up") && args.get(1).equals("--replicas")) {
                replicas = replicas(args.get(2));
                args = List.of("up");
            }
            Services services = new Services(stack, StackSettings.repositoryRoot(), replicas);
            return dispatch(args, stack, services, out, err);
        } catch (Args.UsageException e) {
            err.println("savepoint: " + e.getMessage() + "\n");
            err.println(USAGE);
            return 2;
        } catch (StackException e) {
            err.println("savepoint: " + e.getMessage());
            return 1;
        }
    }

    private static int replicas(String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= Services.MAX_REPLICAS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below names the value
        }
        throw new Args.UsageException("--replicas takes a number of replicas from 1 to " + Services.MAX_REPLICAS
                + ", got '" + value + "'");
    }

    private static int dispatch(List<String> args, LocalStack stack, Services services, PrintStream out,
            PrintStream err) {
        if (args.get(0).equals("token")) {
            return TokenCli.run(args.subList(1, args.size()), services, out, err);
        }
        if (API_COMMANDS.contains(args.get(0))) {
            return ApiCli.run(args, endpoints(System.getenv(), services), out, err);
        }
        String command = String.join(" ", args);
        switch (command) {
            case "stack up" -> {
                out.println("Starting the local stack (.savepoint/):");
                stack.up(out);
                stack.status().values().forEach(l -> out.println("  " + l));
            }
            case "stack down" -> stack.down(out);
            case "stack status" -> {
                stack.status().values().forEach(out::println);
                return stack.isUp() ? 0 : 3;
            }
            case "stack watch" -> watch(stack);
            case "up" -> {
                out.println("Starting the local stack and the services:");
                stack.up(out);
                services.up(out);
            }
            case "down" -> {
                services.down(out);
                stack.down(out);
            }
            case "status" -> {
                stack.status().values().forEach(out::println);
                services.status().forEach(out::println);
            }
            case "demo" -> {
                stack.up(out);
                services.up(out);
                return Demo.run(services, StackSettings.repositoryRoot(), out);
            }
            default -> {
                err.println("savepoint: unknown command or option '" + command + "'\n");
                err.println(USAGE);
                return 2;
            }
        }
        return 0;
    }

    private static void watch(LocalStack stack) {
        try {
            TestStack.watch(stack);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
