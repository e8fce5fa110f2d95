package dev.savepoint.bench;

import dev.savepoint.stack.LocalStack;
import dev.savepoint.stack.StackSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code ./savepoint bench [--quick] [--only FIGURE,...]}: starts the local stack like the other commands, measures
 * every figure (or the named ones), writes {@code bench/results/FIGURE.json} for each and regenerates
 * {@code BENCHMARKS.md}. Exit 0 when every figure was measured (met or not), 1 when one failed, 2 on bad usage.
 */
public final class BenchCli {

    /** Every figure, in the order they run (ingest before the catalog's millions of rows). */
    static final List<Figure> FIGURES = List.of(new IngestFigure(), new CatalogLatestFigure());

    static final String USAGE = """
            usage: ./savepoint bench [--quick] [--only FIGURE[,FIGURE...]] | ./savepoint bench --page
              --quick   smaller sizes (e.g. 1M catalog rows instead of 10M): the whole bench in a few minutes
              --only    only these figures: %s
              --page    only regenerate BENCHMARKS.md and the plots from bench/results/, measuring nothing
            Results: bench/results/FIGURE.json and BENCHMARKS.md (a table and an SVG plot per figure).""";

    private BenchCli() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        boolean quick = false;
        Set<String> only = null;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--quick" -> quick = true;
                case "--page" -> {
                    return page(out, err);
                }
                case "--only" -> only = i + 1 < args.size() ? Set.of(args.get(++i).split(",")) : Set.of("");
                case "--help", "-h", "help" -> {
                    out.println(usage());
                    return 0;
                }
                default -> {
                    err.println("savepoint bench: unknown option '" + args.get(i) + "'\n" + usage());
                    return 2;
                }
            }
        }
        List<Figure> figures = select(only);
        if (figures.isEmpty()) {
            err.println("savepoint bench: no figure named " + only + "\n" + usage());
            return 2;
        }
        return measure(figures, quick, out, err);
    }

    /** Only regenerates BENCHMARKS.md and the plots from the result files, measuring nothing. */
    private static int page(PrintStream out, PrintStream err) {
        Path repo = StackSettings.repositoryRoot();
        try {
            BenchmarksPage.write(repo, new ResultFiles(repo.resolve("bench").resolve("results")));
            out.println("BENCHMARKS.md regenerated from bench/results/");
            return 0;
        } catch (Exception e) {
            err.println("savepoint bench: cannot write BENCHMARKS.md: " + e);
            return 1;
        }
    }

    private static List<Figure> select(Set<String> only) {
        return FIGURES.stream().filter(f -> only == null || only.contains(f.name())).toList();
    }

    private static String usage() {
        return String.format(USAGE, String.join(", ", FIGURES.stream().map(Figure::name).toList()));
    }

    private static int measure(List<Figure> figures, boolean quick, PrintStream out, PrintStream err) {
        Path repo = StackSettings.repositoryRoot();
        LocalStack stack = new LocalStack(StackSettings.fromEnvironment());
        out.println("Starting the local stack:");
        stack.up(out);
        String cpu = Cpu.model();
        ResultFiles files = new ResultFiles(repo.resolve("bench").resolve("results"));
        BenchContext context = new BenchContext(stack, repo, quick, out);
        List<String> failed = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (Figure figure : figures) {
                out.printf("%s (%s):%n", figure.name(), quick ? "quick" : "full");
                long t0 = System.nanoTime();
                String loadBefore = Cpu.loadAverage();
                try {
                    Result measured = figure.measure(context);
                    // other programs on the machine take cores from the figure and its baseline alike: say how busy
                    measured.details().put("load average (1, 5, 15 min) before, after", loadBefore + "; "
                            + Cpu.loadAverage());
                    Result r = measured.stamped(cpu, quick ? "quick" : "full",
                            Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), (System.nanoTime() - t0) / 1e9);
                    files.write(r);
                    out.printf("  %s %s (baseline %s, ratio %s; target %s: %s)%n", Numbers.format(r.value()),
                            r.unit(), Numbers.format(r.baseline()), Numbers.format(r.ratio()), r.target(),
                            r.met() ? "met" : "MISSED");
                } catch (Exception e) {
                    failed.add(figure.name());
                    err.println("savepoint bench: " + figure.name() + " failed: " + e);
                    Arrays.stream(e.getStackTrace()).limit(8).forEach(f -> err.println("    at " + f));
                }
            }
        } finally {
            try {
                context.close();
            } catch (Exception e) {
                err.println("savepoint bench: cannot stop the bench's checkpoint-service: " + e);
            }
        }
        try {
            BenchmarksPage.write(repo, files);
        } catch (Exception e) {
            err.println("savepoint bench: cannot write BENCHMARKS.md: " + e);
            return 1;
        }
        out.printf("Bench done in %.0f s: %s, BENCHMARKS.md%n", (System.nanoTime() - start) / 1e9, files.folder());
        return failed.isEmpty() ? 0 : 1;
    }
}
