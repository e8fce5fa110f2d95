package dev.savepoint.contracts.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who trains: the built-in DJL trainer ({@code {"type": "djl"}}, also when the section is absent) or any training
 * command ({@code "type": "command"}) that Savepoint runs unchanged, watching the state folders it saves.
 *
 * <p>For a command run, {@link #resolved()} fills what the user left out from the {@link #preset}:
 * <ul>
 *   <li>{@code kohya} (sd-scripts with {@code --save_state}): folders {@code <name>-step{N}-state} and
 *       {@code <name>-{epoch}-state} holding {@code train_state.json} ({@code current_step}), the weights
 *       {@code <name>-step{N}.safetensors} beside them, resumed with {@code --resume DIR};</li>
 *   <li>{@code hf-trainer} (Hugging Face Trainer): folders {@code checkpoint-{N}} holding {@code trainer_state.json}
 *       ({@code global_step}), resumed with {@code --resume_from_checkpoint DIR};</li>
 *   <li>{@code generic}: every field given by the user ({@code resumeArgs}, {@code statePattern}, {@code stepFrom}).</li>
 * </ul>
 *
 * <p>Fields: {@code command} (argv, required; {@code {outputDir}}, {@code {maxSteps}}, {@code {runId}},
 * {@code {attempt}} are substituted), {@code workdir}, {@code env}, {@code image} (the trainer container's image on
 * Kubernetes), {@code resumeArgs} (appended when resuming; {@code {stateDir}} is the restored state folder),
 * {@code statePattern} (a glob over the names of folders in the output folder), {@code stepFrom}
 * ({@code file:json.field} inside the state folder; when it cannot be read, the last number in the folder's name),
 * {@code besidePattern} (files in the output folder that belong to a state: {@code {stem}} is the part of the state
 * folder's name the pattern's {@code *} matched), {@code marker} (a file the trainer writes last, which makes a folder
 * complete at once), {@code settleSeconds} (otherwise a folder is complete when no file of it changed for that
 * long), {@code counter} ({@code auto}, {@code continues} or {@code restarts}: whether the trainer's step counter
 * goes on from the resumed state or starts at 0 again; {@code auto} decides from the first state an attempt writes),
 * {@code permanentExitCodes} and {@code permanentPatterns} (regular expressions over the command's output lines):
 * a failure matching one is not retried.
 */
public record TrainerSpec(
        String type,
        String preset,
        List<String> command,
        String workdir,
        Map<String, String> env,
        String image,
        List<String> resumeArgs,
        String statePattern,
        String stepFrom,
        String besidePattern,
        String marker,
        Integer settleSeconds,
        String counter,
        List<Integer> permanentExitCodes,
        List<String> permanentPatterns) {

    public static final String DJL = "djl";
    public static final String COMMAND = "command";
    public static final List<String> TYPES = List.of(DJL, COMMAND);
    public static final String KOHYA = "kohya";
    public static final String HF_TRAINER = "hf-trainer";
    public static final String GENERIC = "generic";
    public static final List<String> PRESETS = List.of(KOHYA, HF_TRAINER, GENERIC);
    public static final List<String> COUNTERS = List.of("auto", "continues", "restarts");
    public static final int DEFAULT_SETTLE_SECONDS = 2;

    /** Failures every preset treats as permanent: the script or a module is missing, the code does not parse. */
    public static final List<String> COMMON_PERMANENT_PATTERNS = List.of(
            "can't open file .*\\[Errno 2\\] No such file or directory",
            "No such file or directory: .*\\.py",
            "ModuleNotFoundError: No module named",
            "SyntaxError: ",
            "error: unrecognized arguments:",
            "error: the following arguments are required:");
    /** A GPU that is out of memory stays so on a relaunch with the same settings. */
    public static final List<String> OOM_PATTERNS = List.of("CUDA out of memory", "torch.OutOfMemoryError");

    public TrainerSpec {
        type = type == null ? DJL : type;
        command = command == null ? null : List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        resumeArgs = resumeArgs == null ? null : List.copyOf(resumeArgs);
        permanentExitCodes = permanentExitCodes == null ? null : List.copyOf(permanentExitCodes);
        permanentPatterns = permanentPatterns == null ? null : List.copyOf(permanentPatterns);
    }

    /** Today's built-in trainer. */
    public static TrainerSpec builtIn() {
        return new TrainerSpec(DJL, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** A command run with a preset and every other field from the preset. */
    public static TrainerSpec command(String preset, List<String> command) {
        return new TrainerSpec(COMMAND, preset, command, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    @JsonIgnore
    public boolean isCommand() {
        return COMMAND.equals(type);
    }

    /**
     * The spec with the preset's values in every field the user left out (a user's value always wins; permanent
     * patterns are the user's added to the preset's). The built-in trainer is returned as it is.
     */
    public TrainerSpec resolved() {
        if (!isCommand()) {
            return this;
        }
        List<String> presetResume;
        String presetPattern;
        String presetStep;
        String presetBeside;
        List<String> presetPatterns = new ArrayList<>(COMMON_PERMANENT_PATTERNS);
        switch (preset == null ? GENERIC : preset) {
            case KOHYA -> {
                presetResume = List.of("--resume", "{stateDir}");
                presetPattern = "*-state";
                presetStep = "train_state.json:current_step";
                presetBeside = "{stem}.safetensors";
                presetPatterns.addAll(OOM_PATTERNS);
            }
            case HF_TRAINER -> {
                presetResume = List.of("--resume_from_checkpoint", "{stateDir}");
                presetPattern = "checkpoint-*";
                presetStep = "trainer_state.json:global_step";
                presetBeside = null;
                presetPatterns.addAll(OOM_PATTERNS);
            }
            default -> {
                presetResume = null;
                presetPattern = null;
                presetStep = null;
                presetBeside = null;
            }
        }
        if (permanentPatterns != null) {
            presetPatterns.addAll(permanentPatterns);
        }
        return new TrainerSpec(type, preset, command, workdir, env, image,
                resumeArgs != null ? resumeArgs : presetResume,
                statePattern != null ? statePattern : presetPattern,
                stepFrom != null ? stepFrom : presetStep,
                besidePattern != null ? besidePattern : presetBeside,
                marker,
                settleSeconds != null ? settleSeconds : DEFAULT_SETTLE_SECONDS,
                counter != null ? counter : "auto",
                permanentExitCodes != null ? permanentExitCodes : List.of(),
                List.copyOf(presetPatterns));
    }
}
