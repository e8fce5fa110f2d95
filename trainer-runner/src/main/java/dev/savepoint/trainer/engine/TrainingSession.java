package dev.savepoint.trainer.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import dev.savepoint.contracts.spec.RunSpec;

/**
 * One run's model, optimizer, schedule and data order on the engine, stepped by the attempt runner. Every source
 * of randomness is a function of (seed, step), so {@link #restore(Snapshot)} in a fresh session continues bit for
 * bit. Not thread-safe: step, snapshot and restore from the training thread only.
 */
public final class TrainingSession implements AutoCloseable {

    private final RunSpec spec;
    private final NDManager manager;
    private final Block block;
    private final ModelParameters parameters;
    private final StepOptimizer optimizer;
    private final LrSchedule schedule;
    private final BatchSampler sampler;
    private final TrainingData data;
    private final ParameterStore store;
    private final Loss loss = Loss.softmaxCrossEntropyLoss();
    private long globalStep;
    private long samplesSeen;
    private double lastLr;
    private double lastLoss = Double.NaN;

    public TrainingSession(RunSpec spec, TrainingData data) {
        this(spec, data, new ModelFactory());
    }

    public TrainingSession(RunSpec spec, TrainingData data, ModelFactory models) {
        requireCompatible(spec, data);
        this.spec = spec;
        this.data = data;
        EngineSettings.intraOpThreads(spec.runtime().intraOpThreads());
        this.manager = NDManager.newBaseManager();
        this.block = models.build(spec.model());
        EngineSettings.seed(spec.seed());
        block.initialize(manager, DataType.FLOAT32, new Shape(1, data.featureCount()));
        this.parameters = new ModelParameters(block);
        parameters.requireGradients();
        this.optimizer = Optimizers.create(spec.optimizer(), manager);
        this.schedule = new LrSchedule(spec.schedule(), spec.optimizer().lr(), spec.maxSteps());
        this.sampler = new BatchSampler(data, spec.batchSize());
        this.store = new ParameterStore(manager, false);
    }

    /** Runs one step (forward, softmax cross-entropy, backward, update) and returns its loss. */
    public float step() {
        float lr = (float) schedule.at(globalStep);
        Batch batch = sampler.batch(globalStep);
        // Dropout draws from the global generator: seeding it per step makes the masks independent of history.
        EngineSettings.seed(Seeds.mix(spec.seed(), globalStep));
        float stepLoss;
        try (NDManager scratch = manager.newSubManager()) {
            NDArray x = scratch.create(batch.features(), new Shape(batch.size(), data.featureCount()));
            NDArray y = scratch.create(batch.labels());
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = block.forward(store, new NDList(x), true).singletonOrThrow();
                // A language model has logits per position: (batch, positions, classes) rows against as many labels.
                NDArray logits = out.reshape(-1, out.getShape().get(out.getShape().dimension() - 1));
                NDArray value = loss.evaluate(new NDList(y), new NDList(logits));
                collector.backward(value);
                stepLoss = value.getFloat();
            }
            parameters.forEach((name, weight) -> {
                NDArray grad = weight.getGradient();
                grad.attach(scratch);
                optimizer.update(name, weight, grad, lr);
            });
        }
        globalStep++;
        samplesSeen += batch.size();
        lastLr = lr;
        lastLoss = stepLoss;
        return stepLoss;
    }

    /** Copies all state to host memory; the only part of a checkpoint the training thread waits for. */
    public Snapshot snapshot() {
        return new Snapshot(parameters.toHost(), optimizer.exportState(), state());
    }

    /** Replaces all state with a snapshot of a session built from the same run spec, possibly in another JVM. */
    public void restore(Snapshot snapshot) {
        TrainerState saved = snapshot.state();
        requireSame("optimizer", saved.optimizer(), optimizer.type());
        requireSame("batchSize", saved.batchSize(), spec.batchSize());
        requireSame("seed", saved.seed(), spec.seed());
        requireSame("data seed", saved.dataSeed(), data.orderSeed());
        parameters.load(snapshot.parameters());
        optimizer.importState(snapshot.optimizerState());
        globalStep = saved.globalStep();
        samplesSeen = saved.samplesSeen();
        lastLr = saved.lr();
        lastLoss = saved.loss();
    }

    public TrainerState state() {
        return new TrainerState(globalStep, sampler.epochAfter(globalStep), samplesSeen, lastLr, lastLoss,
                spec.seed(), data.orderSeed(), samplesSeen, spec.batchSize(), optimizer.type(),
                EngineSettings.intraOpThreads());
    }

    /** SHA-256 (lowercase hex) over all parameters' little-endian float32 bytes in parameter-name order. */
    public String finalParamsSha256() {
        return ParameterDigest.sha256(parameters.toHost());
    }

    public long globalStep() {
        return globalStep;
    }

    /** True once the run has done {@code maxSteps} steps. */
    public boolean finished() {
        return globalStep >= spec.maxSteps();
    }

    /** Arrays alive on the engine; constant from step to step unless something leaks. */
    int liveEngineArrays() {
        return manager.getManagedArrays().size();
    }

    @Override
    public void close() {
        optimizer.close();
        manager.close();
    }

    private static void requireCompatible(RunSpec spec, TrainingData data) {
        if (spec.model().isTransformer()) {
            if (data.featureCount() != spec.model().seqLen() || data.classCount() > spec.model().vocab()) {
                throw new IllegalArgumentException("a transformer of model.seqLen " + spec.model().seqLen()
                        + " and model.vocab " + spec.model().vocab() + " needs text windows of as many bytes; the data "
                        + "has " + data.featureCount() + " inputs and " + data.classCount() + " classes (data.type text)");
            }
            return;
        }
        if (data.featureCount() != spec.model().inputs()) {
            throw new IllegalArgumentException("the data has " + data.featureCount() + " feature columns but model.inputs is "
                    + spec.model().inputs());
        }
        if (data.classCount() > spec.model().outputs()) {
            throw new IllegalArgumentException("the data has labels up to " + (data.classCount() - 1) + " but model.outputs is "
                    + spec.model().outputs() + "; raise model.outputs to at least " + data.classCount());
        }
    }

    private static void requireSame(String what, Object saved, Object current) {
        if (!saved.equals(current)) {
            throw new IllegalArgumentException("cannot restore: the snapshot's " + what + " is " + saved
                    + " but this session's is " + current + "; resume with the run spec the checkpoint was written with");
        }
    }
}
