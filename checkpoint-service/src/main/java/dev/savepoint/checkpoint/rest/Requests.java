package dev.savepoint.checkpoint.rest;

import dev.savepoint.checkpoint.CatalogException;
import dev.savepoint.contracts.Ids;

/** Request bodies of the API and their checks, each failure naming its field. */
public final class Requests {

    private Requests() {
    }

    /** {@code POST /api/checkpoints/{id}/lease} and lease-newest, {@code POST /api/runs/{runId}/checkpoints/latest/lease}. */
    public record LeaseRequest(Integer ttlSeconds, String holder) {
        void check() {
            if (ttlSeconds == null) {
                throw CatalogException.invalid("field 'ttlSeconds' is required: the lease duration in seconds");
            }
            if (holder == null || holder.isBlank()) {
                throw CatalogException.invalid("field 'holder' is required: who holds the lease (e.g. a restore id)");
            }
        }
    }

    /** {@code POST /api/checkpoints/{id}/forks}: the run the checkpoint must belong to and the run forked from it. */
    public record ForkRequest(String runId, String childRunId) {
        void check() {
            requireRunId("runId", runId);
            requireRunId("childRunId", childRunId);
        }

        private static void requireRunId(String field, String value) {
            if (value == null || !Ids.isRunId(value)) {
                throw CatalogException.invalid("field '" + field + "' must be a run id (" + Ids.RUN_ID_REGEX
                        + "), got " + (value == null ? "nothing" : Ids.printable(value)));
            }
        }
    }

    /** {@code POST /api/checkpoints/{id}/corrupt}. */
    public record CorruptRequest(String fileName, String message) {
    }

    static <T> T required(T body, String shape) {
        if (body == null) {
            throw CatalogException.invalid("request body is required: " + shape);
        }
        return body;
    }

    static void checkPage(int page, int size, int maxSize) {
        if (page < 0) {
            throw CatalogException.invalid("query parameter 'page' must be >= 0, got " + page);
        }
        if (size < 1 || size > maxSize) {
            throw CatalogException.invalid("query parameter 'size' must be between 1 and " + maxSize + ", got " + size);
        }
        // the first row, page x size, is an int in the query: past it, it overflowed to a negative offset (a 500)
        if ((long) page * size > Integer.MAX_VALUE) {
            throw CatalogException.invalid("query parameter 'page' must be at most " + Integer.MAX_VALUE / size
                    + " for size " + size + ", got " + page);
        }
    }
}
