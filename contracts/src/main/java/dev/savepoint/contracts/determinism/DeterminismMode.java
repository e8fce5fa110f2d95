package dev.savepoint.contracts.determinism;

import java.util.List;

/** The run spec's {@code determinism}: what a resume does when it cannot be proven bit-exact. */
public final class DeterminismMode {

    /** Refuse the resume: the attempt fails permanently (NOT_REPRODUCIBLE), naming what differs. */
    public static final String STRICT = "strict";
    /** Resume anyway; the attempt and the run are flagged as not bit-exact, with what differs. */
    public static final String BEST_EFFORT = "best-effort";
    public static final List<String> VALUES = List.of(STRICT, BEST_EFFORT);

    private DeterminismMode() {
    }
}
