package dev.savepoint.trainer.engine;

/**
 * The counters and settings a resume needs beside the tensors; everything else (learning rate, batch order,
 * dropout masks) is recomputed from these.
 *
 * @param globalStep steps completed
 * @param epoch completed passes over the data ({@code samplesSeen / sampleCount})
 * @param samplesSeen examples consumed so far
 * @param lr the learning rate the last completed step used (0 before the first step)
 * @param loss the loss of the last completed step (NaN before the first step)
 * @param seed the run seed: initialization and per-step dropout seeds derive from it
 * @param dataSeed the seed of the per-epoch data order
 * @param dataCursor index of the next example in the run's stream of examples
 * @param batchSize examples per step
 * @param optimizer {@code adamw} or {@code sgd}
 * @param intraOpThreads engine threads the session ran with
 */
public record TrainerState(
        long globalStep,
        long epoch,
        long samplesSeen,
        double lr,
        double loss,
        long seed,
        long dataSeed,
        long dataCursor,
        int batchSize,
        String optimizer,
        int intraOpThreads) {
}
