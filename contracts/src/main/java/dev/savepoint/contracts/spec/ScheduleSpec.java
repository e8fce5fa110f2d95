package dev.savepoint.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The learning-rate schedule: {@code constant}, {@code step} (multiply by {@code gamma} every {@code stepSize}
 * steps) or {@code cosine} (linear warmup, then cosine decay to {@code minLr} at {@code maxSteps}).
 */
public record ScheduleSpec(
        @JsonProperty(required = true) String type,
        Integer warmupSteps,
        Double minLr,
        Integer stepSize,
        Double gamma) {

    public static final List<String> TYPES = List.of("constant", "step", "cosine");

    public ScheduleSpec {
        warmupSteps = warmupSteps == null ? 0 : warmupSteps;
        minLr = minLr == null ? 0.0 : minLr;
        stepSize = stepSize == null ? 1000 : stepSize;
        gamma = gamma == null ? 0.1 : gamma;
    }

    public static ScheduleSpec constant() {
        return new ScheduleSpec("constant", null, null, null, null);
    }
}
