package dev.savepoint.bench;

import dev.savepoint.stack.LocalStack;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;

/** What a figure measures with: the running local stack, the bench's checkpoint-service, the mode, the console. */
public final class BenchContext {

    private final LocalStack stack;
    private final BenchService checkpointService;
    private final boolean quick;
    private final PrintStream out;

    BenchContext(LocalStack stack, Path repo, boolean quick, PrintStream out) {
        this.stack = stack;
        this.checkpointService = new BenchService(stack, repo);
        this.quick = quick;
        this.out = out;
    }

    public LocalStack stack() {
        return stack;
    }

    /** The bench's checkpoint-service, started on first use. */
    BenchService checkpointService() throws Exception {
        checkpointService.start(out);
        return checkpointService;
    }

    /** Quick mode: smaller sizes, the whole bench well within 15 minutes on 2 cores. */
    public boolean quick() {
        return quick;
    }

    /** Progress lines for the console. */
    public void log(String format, Object... args) {
        out.printf("    " + format + "%n", args);
    }

    void close() throws SQLException {
        checkpointService.close();
    }
}
