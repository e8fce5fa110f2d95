package dev.savepoint.trainer.engine;

import dev.savepoint.contracts.spec.ScheduleSpec;

/**
 * The learning rate as a pure function of the step: optional linear warmup, then constant, step decay, or cosine
 * decay to {@code minLr} at {@code maxSteps}. Nothing to save: a resumed run recomputes it from the step.
 */
public final class LrSchedule {

    private final ScheduleSpec spec;
    private final double baseLr;
    private final int maxSteps;

    public LrSchedule(ScheduleSpec spec, double baseLr, int maxSteps) {
        if (!ScheduleSpec.TYPES.contains(spec.type())) {
            throw new IllegalArgumentException("unknown schedule.type '" + spec.type() + "'; expected one of " + ScheduleSpec.TYPES);
        }
        if (spec.type().equals("step") && spec.stepSize() < 1) {
            throw new IllegalArgumentException("schedule.stepSize must be at least 1, got " + spec.stepSize());
        }
        this.spec = spec;
        this.baseLr = baseLr;
        this.maxSteps = maxSteps;
    }

    /** The rate for the update that step {@code step} (0-based) performs. */
    public double at(long step) {
        int warmup = spec.warmupSteps();
        if (step < warmup) {
            // (step + 1) so that the very first update already moves, and step warmup-1 reaches the base rate.
            return baseLr * (step + 1) / warmup;
        }
        switch (spec.type()) {
            case "step":
                return baseLr * StrictMath.pow(spec.gamma(), Math.floorDiv(step - warmup, spec.stepSize()));
            case "cosine":
                return cosine(step - warmup, Math.max(1, maxSteps - warmup));
            default:
                return baseLr;
        }
    }

    private double cosine(long sinceWarmup, long decaySteps) {
        double progress = Math.min(1.0, (double) sinceWarmup / decaySteps);
        // StrictMath: Math.cos/pow may be JIT intrinsics whose last bit differs between the interpreter, C2 and CPUs.
        return spec.minLr() + (baseLr - spec.minLr()) * 0.5 * (1 + StrictMath.cos(StrictMath.PI * progress));
    }
}
