package dev.savepoint.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One figure's result as {@code bench/results/FIGURE.json} holds it: the value beside its same-run baseline, their
 * ratio, the target and whether it is met, the machine's CPU, what limits the figure when the target is missed, the
 * bars of its plot (same unit as the value) and any further measurements.
 *
 * @param targetValue the bound of the target, in {@code unit}
 * @param higherIsBetter true when the target is a lower bound (a rate), false when it is an upper one (a latency)
 * @param limit what stops the figure from meeting its target, measured; null when met
 */
public record Result(String figure, double value, double baseline, double ratio, String unit, String target,
        double targetValue, boolean higherIsBetter, boolean met, String cpu, String mode, String measuredAt,
        double seconds, String summary, String limit, Map<String, Double> plot, Map<String, Object> details) {

    /** A result from a figure: met and ratio follow from the numbers; the run fills in cpu, mode, time. */
    public static Result of(String figure, double value, double baseline, String unit, double targetValue,
            boolean higherIsBetter, String summary, Map<String, Double> plot, Map<String, Object> details) {
        boolean met = higherIsBetter ? value >= targetValue : value <= targetValue;
        String target = (higherIsBetter ? ">= " : "<= ") + Numbers.format(targetValue) + " " + unit;
        return new Result(figure, value, baseline, baseline == 0 ? 0 : value / baseline, unit, target, targetValue,
                higherIsBetter, met, null, null, null, 0, summary, null, new LinkedHashMap<>(plot),
                new LinkedHashMap<>(details));
    }

    /** This result with what limits it (kept only when the target is missed). */
    public Result limitedBy(String why) {
        return new Result(figure, value, baseline, ratio, unit, target, targetValue, higherIsBetter, met, cpu, mode,
                measuredAt, seconds, summary, met ? null : why, plot, details);
    }

    /** This result stamped by the run that measured it. */
    Result stamped(String cpuModel, String runMode, String at, double tookSeconds) {
        return new Result(figure, value, baseline, ratio, unit, target, targetValue, higherIsBetter, met, cpuModel,
                runMode, at, tookSeconds, summary, limit, plot, details);
    }
}
