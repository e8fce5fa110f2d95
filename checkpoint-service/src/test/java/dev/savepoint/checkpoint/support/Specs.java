package dev.savepoint.checkpoint.support;

import dev.savepoint.contracts.spec.DataSpec;
import dev.savepoint.contracts.spec.ModelSpec;
import dev.savepoint.contracts.spec.OptimizerSpec;
import dev.savepoint.contracts.spec.RetentionSpec;
import dev.savepoint.contracts.spec.RunSpec;
import java.util.List;

/** Small valid run specs for tests. */
public final class Specs {

    private Specs() {
    }

    public static RunSpec withRetention(RetentionSpec retention) {
        return new RunSpec("cps-test", 7L, 1000, 8, new ModelSpec("mlp", 4, List.of(8), 2, null, null, null),
                new DataSpec("synthetic", 64, 2, 1L, null, null, null),
                new OptimizerSpec("adamw", 0.01, null, null, null, null, null), null, null, retention, null, null);
    }
}
