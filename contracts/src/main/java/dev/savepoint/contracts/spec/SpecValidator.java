package dev.savepoint.contracts.spec;

import dev.savepoint.contracts.Ids;
import dev.savepoint.contracts.determinism.DeterminismMode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a run spec before anything trains; each problem names its field, the value given and what is allowed.
 *
 * <p>Besides each field's own rule it checks what the spec will cost: sizes are bounded (the {@code MAX_*}
 * constants) and {@link #estimateBytes(RunSpec) the estimated memory} of parameters, gradients, optimizer state,
 * activations and synthetic data must fit {@code runtime.memory}. A local CSV {@code data.path} must lie under one
 * of the {@link DataRoots data roots}. The bounds and the estimate are described in docs/architecture.md, "Input
 * limits". It never throws anything but {@link InvalidSpecException} (from {@link #requireValid}).
 */
public final class SpecValidator {

    public static final int MAX_STEPS = 1_000_000_000;
    public static final int MAX_BATCH_SIZE = 65_536;
    /** Bound of model.inputs, model.outputs, each model.hidden width and data.classes. */
    public static final int MAX_WIDTH = 65_536;
    public static final int MAX_HIDDEN_LAYERS = 64;
    public static final int MAX_CHANNELS = 4_096;
    public static final int MAX_CONV_LAYERS = 16;
    public static final int MAX_KERNEL = 1_024;
    public static final int MAX_TRANSFORMER_LAYERS = 128;
    public static final int MAX_D_MODEL = 8_192;
    public static final int MAX_SEQ_LEN = 8_192;
    public static final int MAX_VOCAB = 65_536;
    /** Bound of a transformer's parameter count; the memory estimate usually refuses far less. */
    public static final long MAX_PARAMETERS = 4_000_000_000L;
    public static final int MAX_SAMPLES = 100_000_000;
    public static final int MAX_CHECKPOINT_SECONDS = 7 * 24 * 3600;
    public static final int MAX_THREADS = 256;
    /** Bound of trainer.command's and trainer.resumeArgs' arguments and of trainer.env's variables. */
    public static final int MAX_COMMAND_ARGS = 256;
    public static final int MAX_ARGUMENT_LENGTH = 4_096;

    private static final Pattern QUANTITY = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(Ki|Mi|Gi|Ti|k|K|M|G|T)?");

    private final List<String> problems = new ArrayList<>();

    private SpecValidator() {
    }

    /** Every problem of the spec, in field order; empty when it is valid. */
    public static List<String> problems(RunSpec spec) {
        SpecValidator v = new SpecValidator();
        v.check(spec);
        return List.copyOf(v.problems);
    }

    public static void requireValid(RunSpec spec) {
        List<String> problems = problems(spec);
        if (!problems.isEmpty()) {
            throw new InvalidSpecException(problems);
        }
    }

    private void check(RunSpec s) {
        if (s == null) {
            problems.add("the run spec must be a JSON object, got null");
            return;
        }
        require(Ids.isRunName(s.name()), "name", s.name(), "1-63 letters, digits, '.', '_' or '-'");
        if (!oneOf(TrainerSpec.TYPES, "trainer.type", s.trainer().type())) {
            return;
        }
        if (s.isCommand()) {
            inRange(s.maxSteps(), 1, MAX_STEPS, "maxSteps");
            checkCommand(s);
            return;
        }
        require(s.seed() != null, "seed", null, "an integer");
        inRange(s.maxSteps(), 1, MAX_STEPS, "maxSteps");
        inRange(s.batchSize(), 1, MAX_BATCH_SIZE, "batchSize");
        boolean modelOk = s.model() != null && checkModel(s.model());
        require(s.model() != null, "model", null, "an object");
        if (s.data() == null) {
            require(false, "data", null, "an object");
        } else {
            checkData(s.data(), s.model());
        }
        if (s.optimizer() == null) {
            require(false, "optimizer", null, "an object");
        } else {
            checkOptimizer(s.optimizer());
        }
        oneOf(ScheduleSpec.TYPES, "schedule.type", s.schedule().type());
        require(s.schedule().warmupSteps() >= 0, "schedule.warmupSteps", s.schedule().warmupSteps(), ">= 0");
        require(s.schedule().minLr() >= 0, "schedule.minLr", s.schedule().minLr(), ">= 0");
        require(s.schedule().stepSize() > 0, "schedule.stepSize", s.schedule().stepSize(), "> 0");
        CheckpointSpec c = s.checkpoint();
        require(c.everySteps() == null || c.everySteps() > 0 && c.everySteps() <= MAX_STEPS, "checkpoint.everySteps",
                c.everySteps(), "between 1 and " + MAX_STEPS + " or null");
        require(c.everySeconds() == null || c.everySeconds() > 0 && c.everySeconds() <= MAX_CHECKPOINT_SECONDS,
                "checkpoint.everySeconds", c.everySeconds(), "between 1 and " + MAX_CHECKPOINT_SECONDS + " or null");
        OptionalLong memory = checkCommon(s);
        if (problems.isEmpty() && modelOk && memory.isPresent()) {
            long estimate = estimateBytes(s);
            if (estimate > memory.getAsLong()) {
                problems.add("runtime.memory must hold the estimated " + mib(estimate) + " of parameters, gradients, "
                        + "optimizer state, activations and data (model, batchSize, data.samples), got '"
                        + s.runtime().memory() + "' (" + mib(memory.getAsLong()) + "); shrink the model or batch, or "
                        + "raise runtime.memory");
            }
        }
    }

    /** Retention, restart, runtime and determinism: the same for every trainer. Returns runtime.memory in bytes. */
    private OptionalLong checkCommon(RunSpec s) {
        checkRetention(s.retention());
        require(s.restart().maxRestarts() >= 0, "restart.maxRestarts", s.restart().maxRestarts(), ">= 0");
        require(s.restart().crashLoopLimit() > 0, "restart.crashLoopLimit", s.restart().crashLoopLimit(), "> 0");
        inRange(s.runtime().intraOpThreads(), 1, MAX_THREADS, "runtime.intraOpThreads");
        oneOf(DeterminismMode.VALUES, "determinism", s.determinism());
        require(s.runtime().heartbeatMillis() >= 50, "runtime.heartbeatMillis", s.runtime().heartbeatMillis(),
                ">= 50");
        OptionalLong memory = memoryBytes(s.runtime().memory());
        require(memory.isPresent(), "runtime.memory", s.runtime().memory(),
                "a Kubernetes memory quantity such as 512Mi or 2Gi");
        return memory;
    }

    /** A command run: the trainer section, and none of the built-in trainer's sections. */
    private void checkCommand(RunSpec s) {
        String builtInOnly = "absent: it configures the built-in trainer, and a command run's training is set by its "
                + "own command";
        require(s.seed() == null, "seed", s.seed(), builtInOnly);
        require(s.batchSize() == null, "batchSize", s.batchSize(), builtInOnly);
        require(s.model() == null, "model", s.model() == null ? null : "an object", builtInOnly);
        require(s.data() == null, "data", s.data() == null ? null : "an object", builtInOnly);
        require(s.optimizer() == null, "optimizer", s.optimizer() == null ? null : "an object", builtInOnly);
        require(s.schedule() == null, "schedule", s.schedule() == null ? null : "an object", builtInOnly);
        require(s.checkpoint() == null, "checkpoint", s.checkpoint() == null ? null : "an object",
                "absent: a command run's trainer decides when it saves (its own save-steps option); Savepoint "
                        + "keeps every state it saves");
        TrainerSpec t = s.trainer();
        if (!oneOf(TrainerSpec.PRESETS, "trainer.preset", t.preset())) {
            checkCommon(s);
            return;
        }
        require(t.command() != null && !t.command().isEmpty() && t.command().size() <= MAX_COMMAND_ARGS
                && t.command().stream().allMatch(SpecValidator::isArgument), "trainer.command", t.command() == null
                        ? null : t.command().size() + " arguments",
                "a list of 1 to " + MAX_COMMAND_ARGS + " arguments, each 1-" + MAX_ARGUMENT_LENGTH
                        + " characters without NUL");
        require(t.workdir() == null || isArgument(t.workdir()), "trainer.workdir", t.workdir(),
                "a directory path without NUL");
        require(t.env().size() <= MAX_COMMAND_ARGS && t.env().entrySet().stream().allMatch(e -> e.getKey() != null
                && e.getKey().matches("[A-Za-z_][A-Za-z0-9_]{0,127}") && e.getValue() != null
                && e.getValue().length() <= MAX_ARGUMENT_LENGTH && e.getValue().indexOf('\0') < 0), "trainer.env",
                t.env().size() + " variables", "at most " + MAX_COMMAND_ARGS + " variables named [A-Za-z_][A-Za-z0-9_]*"
                        + " with values of at most " + MAX_ARGUMENT_LENGTH + " characters");
        require(t.image() == null || t.image().matches("[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}"), "trainer.image",
                t.image(), "a container image reference such as python:3.11-slim");
        boolean generic = TrainerSpec.GENERIC.equals(t.preset());
        require(!generic || t.resumeArgs() != null, "trainer.resumeArgs", null,
                "given for the generic preset (the arguments that resume from {stateDir}, e.g. [\"--resume\", "
                        + "\"{stateDir}\"])");
        require(!generic || t.statePattern() != null, "trainer.statePattern", null,
                "given for the generic preset (a glob over the state folders' names, e.g. \"checkpoint-*\")");
        TrainerSpec r = t.resolved();
        require(r.resumeArgs() == null || r.resumeArgs().size() <= MAX_COMMAND_ARGS
                && r.resumeArgs().stream().allMatch(SpecValidator::isArgument)
                && r.resumeArgs().stream().anyMatch(a -> a.contains("{stateDir}")), "trainer.resumeArgs",
                r.resumeArgs(), "arguments of which one contains {stateDir}");
        require(r.statePattern() == null || isGlob(r.statePattern()), "trainer.statePattern", r.statePattern(),
                "a file-name glob with one '*' (e.g. \"checkpoint-*\"), without '/'");
        require(r.stepFrom() == null || r.stepFrom().matches("[^/\\\\:\\x00]{1,255}:[A-Za-z0-9_.-]{1,255}"),
                "trainer.stepFrom", r.stepFrom(), "FILE:field (a JSON file inside the state folder and its field, "
                        + "dotted for nested ones), e.g. \"trainer_state.json:global_step\"");
        require(r.besidePattern() == null || r.besidePattern().length() <= 255 && !r.besidePattern().contains("/")
                && r.besidePattern().indexOf('\0') < 0, "trainer.besidePattern", r.besidePattern(),
                "a file-name pattern with {stem}, without '/'");
        require(r.marker() == null || Ids.isFileName(r.marker()), "trainer.marker", r.marker(),
                "a plain file name");
        require(r.settleSeconds() >= 0 && r.settleSeconds() <= 3600, "trainer.settleSeconds", r.settleSeconds(),
                "between 0 and 3600");
        oneOf(TrainerSpec.COUNTERS, "trainer.counter", r.counter());
        require(r.permanentExitCodes().stream().allMatch(c -> c != null && c >= 1 && c <= 255),
                "trainer.permanentExitCodes", r.permanentExitCodes(), "exit codes between 1 and 255");
        for (String pattern : t.permanentPatterns() == null ? List.<String>of() : t.permanentPatterns()) {
            try {
                Pattern.compile(pattern);
            } catch (RuntimeException e) {
                require(false, "trainer.permanentPatterns", pattern, "regular expressions (" + e.getMessage() + ")");
            }
        }
        checkCommon(s);
    }

    private static boolean isArgument(String a) {
        return a != null && !a.isEmpty() && a.length() <= MAX_ARGUMENT_LENGTH && a.indexOf('\0') < 0;
    }

    private static boolean isGlob(String glob) {
        return glob.length() <= 255 && !glob.contains("/") && glob.indexOf('\0') < 0
                && glob.chars().filter(c -> c == '*').count() == 1;
    }

    private boolean checkModel(ModelSpec m) {
        int before = problems.size();
        if (!oneOf(ModelSpec.TYPES, "model.type", m.type())) {
            return false;
        }
        if (m.isTransformer()) {
            checkTransformer(m);
        } else {
            for (String field : List.of("layers", "dModel", "heads", "seqLen", "vocab")) {
                require(transformerField(m, field) == null, "model." + field, transformerField(m, field),
                        "absent for model.type " + m.type() + " (it configures a transformer)");
            }
            inRange(m.inputs(), 1, MAX_WIDTH, "model.inputs");
            inRange(m.outputs(), 1, MAX_WIDTH, "model.outputs");
            require(m.hidden().size() <= MAX_HIDDEN_LAYERS, "model.hidden", m.hidden().size() + " layers",
                    "at most " + MAX_HIDDEN_LAYERS + " layers");
            require(m.hidden().stream().allMatch(h -> h != null && h > 0 && h <= MAX_WIDTH), "model.hidden",
                    m.hidden().size() > 8 ? m.hidden().subList(0, 8) + "..." : m.hidden(),
                    "layer widths between 1 and " + MAX_WIDTH);
            require(m.dropout() >= 0 && m.dropout() < 1, "model.dropout", m.dropout(), "in [0, 1)");
            if (m.type().equals("cnn")) {
                require(!m.channels().isEmpty() && m.channels().size() <= MAX_CONV_LAYERS
                        && m.channels().stream().allMatch(ch -> ch != null && ch > 0 && ch <= MAX_CHANNELS),
                        "model.channels", m.channels().size() > 8 ? m.channels().subList(0, 8) + "..." : m.channels(),
                        "1 to " + MAX_CONV_LAYERS + " channel counts between 1 and " + MAX_CHANNELS);
                require(m.kernel() > 0 && m.kernel() <= MAX_KERNEL && (m.inputs() == null || m.kernel() <= m.inputs()),
                        "model.kernel", m.kernel(), "between 1 and model.inputs (at most " + MAX_KERNEL + ")");
            }
        }
        return problems.size() == before;
    }

    private void checkTransformer(ModelSpec m) {
        String notHere = "absent for a transformer (its input is model.seqLen byte tokens, its output model.vocab "
                + "logits per position)";
        require(m.inputs() == null, "model.inputs", m.inputs(), notHere);
        require(m.outputs() == null, "model.outputs", m.outputs(), notHere);
        require(m.hidden().isEmpty(), "model.hidden", m.hidden(), notHere);
        require(m.dropout() == 0, "model.dropout", m.dropout(), "0 for a transformer (it has no dropout)");
        boolean sized = inRange(m.layers(), 1, MAX_TRANSFORMER_LAYERS, "model.layers")
                & inRange(m.dModel(), 1, MAX_D_MODEL, "model.dModel")
                & inRange(m.seqLen(), 1, MAX_SEQ_LEN, "model.seqLen")
                & inRange(m.vocab(), ModelSpec.BYTE_VOCAB, MAX_VOCAB, "model.vocab");
        if (inRange(m.heads(), 1, MAX_D_MODEL, "model.heads") && m.dModel() != null) {
            require(m.dModel() % m.heads() == 0, "model.heads", m.heads(),
                    "a divisor of model.dModel (" + m.dModel() + ") so that every head has dModel / heads dimensions");
        }
        if (sized) {
            require(m.transformerParameters() <= MAX_PARAMETERS, "model.dModel", m.dModel(), "small enough that the "
                    + "model has at most " + MAX_PARAMETERS + " parameters (it would have " + m.transformerParameters()
                    + " with model.layers " + m.layers() + ")");
        }
    }

    private static Integer transformerField(ModelSpec m, String field) {
        return switch (field) {
            case "layers" -> m.layers();
            case "dModel" -> m.dModel();
            case "heads" -> m.heads();
            case "seqLen" -> m.seqLen();
            default -> m.vocab();
        };
    }

    private void checkData(DataSpec d, ModelSpec m) {
        if (!oneOf(DataSpec.TYPES, "data.type", d.type())) {
            return;
        }
        boolean text = d.type().equals("text");
        if (m != null && m.type() != null && ModelSpec.TYPES.contains(m.type()) && !require(text == m.isTransformer(), "data.type",
                d.type(), text ? "'synthetic' or 'csv' for model.type " + m.type() + " (text trains a transformer)"
                        : "'text' for a transformer (it learns the next byte of a text)")) {
            return;
        }
        if (d.type().equals("synthetic")) {
            inRange(d.samples(), 1, MAX_SAMPLES, "data.samples");
            require(d.classes() != null && d.classes() > 1 && d.classes() <= MAX_WIDTH, "data.classes", d.classes(),
                    "between 2 and " + MAX_WIDTH);
            Integer outputs = m == null ? null : m.outputs();
            require(d.classes() == null || outputs == null || d.classes() <= outputs, "data.classes", d.classes(),
                    "<= model.outputs (" + outputs + ")");
        } else if (require(d.path() != null && !d.path().isBlank() && d.path().indexOf('\0') < 0, "data.path",
                d.path(), "a file path or s3://bucket/key")) {
            checkDataPath(d.path(), text);
        }
    }

    private void checkDataPath(String path, boolean text) {
        if (path.startsWith("s3://")) {
            return;
        }
        List<Path> roots = DataRoots.roots();
        Path file;
        try {
            file = DataRoots.resolve(path);
        } catch (InvalidPathException e) {
            require(false, "data.path", path, "a valid file path");
            return;
        }
        if (text) {
            require(DataRoots.isUnderRoot(file) || DataRoots.isUnderRoot(file, List.of(DataRoots.FORTUNES)),
                    "data.path", path, "an s3:// object, or a file or folder under a data root " + roots + " or "
                            + DataRoots.FORTUNES + " (set SAVEPOINT_DATA_ROOTS to allow more)");
            return;
        }
        require(DataRoots.isUnderRoot(file), "data.path", path,
                "an s3:// object or a file under a data root " + roots + " (set SAVEPOINT_DATA_ROOTS to allow more)");
    }

    private void checkOptimizer(OptimizerSpec o) {
        oneOf(OptimizerSpec.TYPES, "optimizer.type", o.type());
        require(o.lr() != null && o.lr() > 0, "optimizer.lr", o.lr(), "> 0");
        require(o.weightDecay() >= 0, "optimizer.weightDecay", o.weightDecay(), ">= 0");
        require(o.beta1() >= 0 && o.beta1() < 1, "optimizer.beta1", o.beta1(), "in [0, 1)");
        require(o.beta2() >= 0 && o.beta2() < 1, "optimizer.beta2", o.beta2(), "in [0, 1)");
        require(o.epsilon() > 0, "optimizer.epsilon", o.epsilon(), "> 0");
        require(o.momentum() >= 0 && o.momentum() < 1, "optimizer.momentum", o.momentum(), "in [0, 1)");
    }

    private void checkRetention(RetentionSpec r) {
        require(r.keepLast() >= 1, "retention.keepLast", r.keepLast(), ">= 1");
        require(r.keepBest() >= 0, "retention.keepBest", r.keepBest(), ">= 0");
        require(r.mode().equals("min") || r.mode().equals("max"), "retention.mode", r.mode(), "'min' or 'max'");
        require(r.keepEverySteps() >= 0, "retention.keepEverySteps", r.keepEverySteps(), ">= 0");
        require(r.maxTotalBytes() == null || r.maxTotalBytes() > 0, "retention.maxTotalBytes", r.maxTotalBytes(),
                "> 0 or null");
    }

    /**
     * The memory an attempt of a spec without other problems needs at least, in bytes (float32): parameters, their gradients and the
     * optimizer's state (AdamW 2 values per parameter, SGD 1); activations of one batch three times over (output,
     * activation, gradient; for a CNN also its im2col buffer); synthetic data ({@code samples x (inputs + 1)}).
     */
    public static long estimateBytes(RunSpec s) {
        ModelSpec m = s.model();
        int slots = "sgd".equals(s.optimizer().type()) ? 1 : 2;
        if (m.isTransformer()) {
            return transformerBytes(m, s.batchSize(), slots);
        }
        double inputs = m.inputs();
        double params = 0;
        double activations = inputs + m.outputs();
        if (m.type().equals("cnn")) {
            double in = 1;
            for (int ch : m.channels()) {
                params += in * ch * m.kernel() + ch;
                activations += inputs * ch + inputs * in * m.kernel();
                in = ch;
            }
            params += in * inputs * m.outputs() + m.outputs();
        } else {
            double in = inputs;
            for (int h : m.hidden()) {
                params += in * h + h;
                activations += h;
                in = h;
            }
            params += in * m.outputs() + m.outputs();
        }
        double data = "synthetic".equals(s.data().type()) && s.data().samples() != null
                ? (double) s.data().samples() * (inputs + 1) : 0;
        double floats = params * (2 + slots) + 3.0 * s.batchSize() * activations + data;
        return (long) Math.min(Long.MAX_VALUE, floats * Float.BYTES);
    }

    /**
     * A transformer's memory: parameters x (weights + gradients + optimizer slots) plus their host snapshot
     * (weights + slots: at these sizes a checkpoint's copy counts), and per token of the batch (batchSize x seqLen) the
     * activations kept for the backward pass: per block about 20 x dModel values plus 3 x heads x seqLen attention
     * scores, then 4 x vocab for the logits, their log-softmax and gradients. The text itself is a few MB and left out.
     */
    static long transformerBytes(ModelSpec m, int batchSize, int slots) {
        double params = m.transformerParameters();
        double perToken = m.layers() * (20.0 * m.dModel() + 3.0 * m.heads() * m.seqLen()) + 4.0 * m.vocab()
                + 4.0 * m.dModel();
        double floats = params * (2 + slots) + params * (1 + slots) + (double) batchSize * m.seqLen() * perToken;
        return (long) Math.min(Long.MAX_VALUE, floats * Float.BYTES);
    }

    /** A Kubernetes memory quantity ({@code 512Mi}, {@code 2Gi}, {@code 1G}, {@code 1048576}) in bytes. */
    static OptionalLong memoryBytes(String quantity) {
        Matcher q = quantity == null ? null : QUANTITY.matcher(quantity.trim());
        if (q == null || !q.matches()) {
            return OptionalLong.empty();
        }
        String unit = q.group(2) == null ? "" : q.group(2);
        double factor = switch (unit.toUpperCase(Locale.ROOT)) {
            case "KI" -> 1L << 10;
            case "MI" -> 1L << 20;
            case "GI" -> 1L << 30;
            case "TI" -> 1L << 40;
            case "K" -> 1e3;
            case "M" -> 1e6;
            case "G" -> 1e9;
            case "T" -> 1e12;
            default -> 1;
        };
        double bytes = Double.parseDouble(q.group(1)) * factor;
        return bytes >= 1 && bytes < Long.MAX_VALUE ? OptionalLong.of((long) bytes) : OptionalLong.empty();
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private boolean inRange(Integer value, int min, int max, String field) {
        return require(value != null && value >= min && value <= max, field, value,
                "an integer between " + min + " and " + max);
    }

    private boolean oneOf(List<String> allowed, String field, String value) {
        return require(value != null && allowed.contains(value), field, value, "one of " + allowed);
    }

    private boolean require(boolean ok, String field, Object value, String allowed) {
        if (!ok) {
            problems.add(field + " must be " + allowed + ", got "
                    + (value instanceof String str ? "'" + Ids.printable(str) + "'" : value));
        }
        return ok;
    }

    /** A run spec that cannot be trained; the message lists every problem, field first. */
    public static final class InvalidSpecException extends IllegalArgumentException {
        private final List<String> problems;

        public InvalidSpecException(List<String> problems) {
            super("invalid run spec: " + String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }
}
