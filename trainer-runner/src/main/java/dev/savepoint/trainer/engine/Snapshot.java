package dev.savepoint.trainer.engine;

import java.util.Map;

/**
 * Everything a training session is, copied to host memory: parameters and optimizer state by name, plus counters.
 * Serialize it on any thread ({@link SafetensorsWriter}, Jackson for the state); restore it with
 * {@link TrainingSession#restore(Snapshot)}.
 */
public record Snapshot(Map<String, HostTensor> parameters, Map<String, HostTensor> optimizerState, TrainerState state) {

    public Snapshot {
        parameters = Map.copyOf(parameters);
        optimizerState = Map.copyOf(optimizerState);
    }

    /** SHA-256 of the parameters, identical to the session's {@link TrainingSession#finalParamsSha256()}. */
    public String parametersSha256() {
        return ParameterDigest.sha256(parameters);
    }
}
