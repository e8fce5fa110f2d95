package dev.savepoint.contracts.spec;

import dev.savepoint.contracts.determinism.DeterminismMode;
import java.util.ArrayList;
import java.util.List;

/** Checks a run spec before anything trains; each problem names its field, the value given and what is allowed. */
public final class SpecValidator {

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
        require(s.name() != null && s.name().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}"), "name", s.name(),
                "1-63 letters, digits, '.', '_' or '-'");
        require(s.maxSteps() > 0, "maxSteps", s.maxSteps(), "> 0");
        require(s.batchSize() > 0, "batchSize", s.batchSize(), "> 0");
        checkModel(s.model());
        checkData(s.data(), s.model());
        checkOptimizer(s.optimizer());
        oneOf(ScheduleSpec.TYPES, "schedule.type", s.schedule().type());
        require(s.schedule().warmupSteps() >= 0, "schedule.warmupSteps", s.schedule().warmupSteps(), ">= 0");
        require(s.schedule().minLr() >= 0, "schedule.minLr", s.schedule().minLr(), ">= 0");
        require(s.schedule().stepSize() > 0, "schedule.stepSize", s.schedule().stepSize(), "> 0");
        CheckpointSpec c = s.checkpoint();
        require(c.everySteps() == null || c.everySteps() > 0, "checkpoint.everySteps", c.everySteps(), "> 0 or null");
        require(c.everySeconds() == null || c.everySeconds() > 0, "checkpoint.everySeconds", c.everySeconds(),
                "> 0 or null");
        checkRetention(s.retention());
        require(s.restart().maxRestarts() >= 0, "restart.maxRestarts", s.restart().maxRestarts(), ">= 0");
        require(s.restart().crashLoopLimit() > 0, "restart.crashLoopLimit", s.restart().crashLoopLimit(), "> 0");
        require(s.runtime().intraOpThreads() > 0, "runtime.intraOpThreads", s.runtime().intraOpThreads(), "> 0");
        oneOf(DeterminismMode.VALUES, "determinism", s.determinism());
        require(s.runtime().heartbeatMillis() >= 50, "runtime.heartbeatMillis", s.runtime().heartbeatMillis(),
                ">= 50");
    }

    private void checkModel(ModelSpec m) {
        if (oneOf(ModelSpec.TYPES, "model.type", m.type())) {
            require(m.inputs() > 0, "model.inputs", m.inputs(), "> 0");
            require(m.outputs() > 0, "model.outputs", m.outputs(), "> 0");
            require(m.hidden().stream().allMatch(h -> h != null && h > 0), "model.hidden", m.hidden(),
                    "positive layer widths");
            require(m.dropout() >= 0 && m.dropout() < 1, "model.dropout", m.dropout(), "in [0, 1)");
            if (m.type().equals("cnn")) {
                require(!m.channels().isEmpty() && m.channels().stream().allMatch(ch -> ch != null && ch > 0),
                        "model.channels", m.channels(), "one or more positive channel counts");
                require(m.kernel() > 0 && m.kernel() <= m.inputs(), "model.kernel", m.kernel(),
                        "between 1 and model.inputs");
            }
        }
    }

    private void checkData(DataSpec d, ModelSpec m) {
        if (!oneOf(DataSpec.TYPES, "data.type", d.type())) {
            return;
        }
        if (d.type().equals("synthetic")) {
            require(d.samples() != null && d.samples() > 0, "data.samples", d.samples(), "> 0");
            require(d.classes() != null && d.classes() > 1, "data.classes", d.classes(), "> 1");
            require(d.classes() == null || d.classes() <= m.outputs(), "data.classes", d.classes(),
                    "<= model.outputs (" + m.outputs() + ")");
        } else {
            require(d.path() != null && !d.path().isBlank(), "data.path", d.path(), "a file path or s3://bucket/key");
        }
    }

    private void checkOptimizer(OptimizerSpec o) {
        oneOf(OptimizerSpec.TYPES, "optimizer.type", o.type());
        require(o.lr() > 0, "optimizer.lr", o.lr(), "> 0");
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

    private boolean oneOf(List<String> allowed, String field, String value) {
        return require(allowed.contains(value), field, value, "one of " + allowed);
    }

    private boolean require(boolean ok, String field, Object value, String allowed) {
        if (!ok) {
            problems.add(field + " must be " + allowed + ", got " + (value instanceof String ? "'" + value + "'" : value));
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
