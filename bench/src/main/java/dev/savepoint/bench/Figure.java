package dev.savepoint.bench;

/**
 * One benchmark figure: measures one thing beside a baseline measured in the same run, and says whether its target
 * is met. Adding a figure is one class implementing this, listed in {@link BenchCli#FIGURES}.
 */
public interface Figure {

    /** The figure's name: its result is {@code bench/results/NAME.json}, its plot {@code NAME.svg}. */
    String name();

    /** Measures; {@link BenchContext#quick()} asks for sizes that keep the whole quick bench within minutes. */
    Result measure(BenchContext context) throws Exception;
}
