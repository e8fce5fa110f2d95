package dev.savepoint.stack;

import dev.savepoint.stack.chaos.ChaosRun;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * {@code ./savepoint chaos --minutes M [--seed S]}: the local stack and the three services, restarted with a sweeper
 * that runs every 10 s, trained under the faults drawn from the seed; prints the fault and invariant table and exits
 * 0 only when every invariant held.
 */
final class ChaosCli {

    private ChaosCli() {
    }

    static int run(List<String> arguments, LocalStack stack, PrintStream out, PrintStream err) {
        Args args;
        int minutes;
        long seed;
        try {
            args = Args.of(arguments).expectWords(1);
            minutes = args.intOption("--minutes", 5);
            if (minutes < 1 || minutes > 24 * 60) {
                throw new Args.UsageException("--minutes must be between 1 and 1440, got " + minutes);
            }
            seed = args.has("--seed") ? Long.parseLong(args.option("--seed", "0")) : System.nanoTime();
        } catch (NumberFormatException e) {
            err.println("savepoint: --seed must be a whole number, got '" + Args.of(arguments).option("--seed", "")
                    + "'");
            return 2;
        } catch (Args.UsageException e) {
            err.println("savepoint: " + e.getMessage() + "\nusage: ./savepoint chaos --minutes M [--seed S]");
            return 2;
        }
        out.println("Starting the local stack; the services are restarted for the chaos run (./savepoint up brings "
                + "them back as usual afterwards):");
        stack.up(out);
        new Services(stack, StackSettings.repositoryRoot()).down(out);
        Services services = new Services(stack, StackSettings.repositoryRoot(), stack.settings().root()
                .resolve("chaos"), Services.ServicePorts.DEFAULT, Map.of("*", ChaosRun.SERVICE_ENV));
        services.up(out);
        try {
            ChaosRun.Outcome outcome = new ChaosRun(stack, services, out).run(seed, ChaosRun.Size.minutes(minutes),
                    "checkpoints", "scheduler", stack.serviceConfig());
            return outcome.allHeld() ? 0 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            services.down(out);
        }
    }
}
