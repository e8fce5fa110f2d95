package dev.savepoint.trainer.command;

import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.trainer.engine.TrainerState;
import dev.savepoint.trainer.runner.CheckpointWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Turns the complete states the {@link StateWatcher} reports into checkpoints at their cumulative steps
 * ({@link StepCounter}), one at a time, and keeps what heartbeats and the attempt's end need: the newest checkpoint, its
 * step and when it became durable. A state whose cumulative step is not past the newest one is not uploaded (a name
 * the trainer writes again with an old counter never overwrites anything), nor is any state after the first one that
 * reached the run's maxSteps: that one is the run's end (a trainer whose counter restarted trains past it until it
 * is stopped, and what it saves then is not the run's).
 */
final class StateShipper {

    private static final int FINAL_TRIES = 5;

    private final StateWatcher watcher;
    private final StepCounter counter;
    private final StateUpload upload;
    private final PrintStream log;
    private final long maxSteps;
    private volatile long step;
    private volatile Long durableStep;
    private volatile long durableAtMillis;
    private volatile Double loss;
    private volatile Integer epoch;
    private volatile CheckpointManifest newest;
    private int written;
    private volatile boolean pastGoal;

    StateShipper(StateWatcher watcher, StepCounter counter, StateUpload upload, Optional<ResumedState> resumed,
            long maxSteps, PrintStream log) {
        this.watcher = watcher;
        this.maxSteps = maxSteps;
        this.counter = counter;
        this.upload = upload;
        this.log = log;
        this.step = resumed.map(ResumedState::step).orElse(0L);
        this.durableStep = resumed.map(ResumedState::step).orElse(null);
        this.durableAtMillis = System.currentTimeMillis();
    }

    /** Uploads every state that is complete now. */
    void poll() {
        ship(watcher.poll()); // a state that failed is offered again by a later poll
    }

    /**
     * The last look after the trainer ended ({@link StateWatcher#afterExit}): a state whose upload fails is tried again
     * a few times (1, 2, 4, 8 s apart), since no later poll will offer it.
     */
    void afterExit(boolean clean, long deathNanos) throws InterruptedException {
        for (int tries = 1; ; tries++) {
            List<StateWatcher.Ready> ready = watcher.afterExit(clean, deathNanos);
            if (ready.isEmpty() || ship(ready) || tries == FINAL_TRIES) {
                return;
            }
            Thread.sleep(1000L << (tries - 1)); // backoff before the object store is asked again
        }
    }

    /** Uploads the states in order; false when one of them could not be uploaded. */
    private boolean ship(List<StateWatcher.Ready> ready) {
        boolean all = true;
        for (StateWatcher.Ready state : ready) {
            long cumulative = counter.cumulative(state.facts().counter());
            if (reachedGoal()) {
                log.println("savepoint: state " + state.folder() + " (trainer step " + state.facts().counter()
                        + ", run step " + cumulative + ") comes after the checkpoint at step " + step
                        + " that reached maxSteps " + maxSteps + "; not uploaded");
                watcher.taken(state);
                pastGoal = true;
                continue;
            }
            if (cumulative <= step && (newest != null || durableStep != null)) {
                log.println("savepoint: state " + state.folder() + " (trainer step " + state.facts().counter()
                        + ", run step " + cumulative + ") is not past step " + step + "; not uploaded");
                watcher.taken(state);
                continue;
            }
            try {
                newest = upload.upload(state, cumulative, () -> watcher.look(state.folder()));
                watcher.taken(state);
                written++;
                step = cumulative;
                durableStep = cumulative;
                durableAtMillis = System.currentTimeMillis();
                loss = state.facts().metrics().get("loss");
                epoch = state.facts().epoch();
                log.println("savepoint: state " + state.folder() + " (trainer step " + state.facts().counter()
                        + ") uploaded as checkpoint " + newest.checkpointId() + " at run step " + cumulative);
            } catch (IOException | RuntimeException e) {
                log.println("savepoint: state " + state.folder() + " not uploaded yet: " + e.getMessage());
                all = false;
            }
        }
        return all;
    }

    /** True once this attempt uploaded a state at or past maxSteps: the run's last checkpoint. */
    boolean reachedGoal() {
        return newest != null && step >= maxSteps;
    }

    /** True when the trainer saved states after the goal checkpoint: it trained past maxSteps. */
    boolean trainedPastGoal() {
        return pastGoal;
    }

    /** The newest cumulative step: the newest uploaded state's, else the resumed one's, else 0. */
    long step() {
        return step;
    }

    int written() {
        return written;
    }

    Double loss() {
        return loss;
    }

    Optional<CheckpointManifest> newest() {
        return Optional.ofNullable(newest);
    }

    /** What a heartbeat says about the trainer's progress. */
    TrainerState state() {
        return new TrainerState(step, epoch == null ? 0 : epoch, 0, 0, loss == null ? Double.NaN : loss, 0, 0, 0, 0,
                "", 0);
    }

    /** What a heartbeat says about checkpoints. */
    CheckpointWriter.Progress progress() {
        Long d = durableStep;
        return d == null ? new CheckpointWriter.Progress(0, null, null)
                : new CheckpointWriter.Progress(0, d, Math.max(0, System.currentTimeMillis() - durableAtMillis));
    }

    /**
     * The final weights' hash when the trainer printed none: the SHA-256 of the newest state's first
     * {@code *.safetensors} file, one beside the state folder before one inside it (sd-scripts saves the trained
     * weights beside its state folder, which holds its own copy of the model too), by path; else of its largest file.
     */
    Optional<String> newestWeightsHash() {
        return newest().flatMap(m -> m.files().stream()
                .filter(f -> m.layout().paths().get(f.name()).endsWith(".safetensors"))
                .min(Comparator.comparing((ManifestFile f) -> m.layout().paths().get(f.name()).contains("/"))
                        .thenComparing(f -> m.layout().paths().get(f.name())))
                .or(() -> m.files().stream().max(Comparator.comparingLong(ManifestFile::size)))
                .map(ManifestFile::sha256));
    }
}
