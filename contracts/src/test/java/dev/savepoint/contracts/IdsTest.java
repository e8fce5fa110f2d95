package dev.savepoint.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The one pattern of ids and file names: what the system builds passes, NUL bytes, traversal and long ids do not. */
class IdsTest {

    @Test
    void idsTheSystemBuildsMatch() {
        assertTrue(Ids.isRunId("demo-mlp-0a1b2c3d"));
        assertTrue(Ids.isRunId("ts_run.1"));
        assertTrue(Ids.isRunId("a".repeat(128)));
        assertTrue(Ids.isCheckpointId(CheckpointManifest.checkpointId("demo-mlp-0a1b2c3d", 100, 1)));
        assertTrue(Ids.isFileName("model.safetensors"));
        assertTrue(Ids.pathParameterProblem("attempt", "12").isEmpty());
    }

    @Test
    void hostileIdsAreRefusedNamingTheParameter() {
        assertFalse(Ids.isRunId("a".repeat(129)));
        assertFalse(Ids.isRunId(".hidden"));
        assertFalse(Ids.isRunId("../etc"));
        assertFalse(Ids.isRunId("run\0id"));
        assertFalse(Ids.isRunId(""));
        assertFalse(Ids.isCheckpointId("not-a-uuid"));
        String problem = Ids.pathParameterProblem("runId", "a\0b").orElseThrow();
        assertTrue(problem.startsWith("path parameter 'runId' must be"), problem);
        assertTrue(problem.contains("a\\u0000b"), "the NUL byte is shown escaped: " + problem);
        assertTrue(Ids.pathParameterProblem("id", "x").orElseThrow().contains("'id'"));
        assertTrue(Ids.pathParameterProblem("leaseId", "x").orElseThrow().contains("'leaseId'"));
        assertTrue(Ids.pathParameterProblem("attempt", "-1").orElseThrow().contains("'attempt'"));
        assertTrue(Ids.pathParameterProblem("name", "../x").orElseThrow().contains("'name'"));
        assertTrue(Ids.pathParameterProblem("other", "x".repeat(129)).orElseThrow().contains("..."));
        assertTrue(Ids.pathParametersProblem(java.util.Map.of("runId", java.util.List.of("ok-run"), "attempt",
                java.util.List.of("x"))).orElseThrow().contains("'attempt'"));
        assertTrue(Ids.pathParametersProblem(java.util.Map.of("runId", java.util.List.of("ok-run"))).isEmpty());
    }

    @Test
    void fileNamesWithSeparatorsNulOrTraversalAreRefused() {
        for (String name : new String[] {"a/b", "a\\b", "..", "a..b", "nul\0", " ", "", "x".repeat(256)}) {
            assertFalse(Ids.isFileName(name), name);
            Executable build = () -> new ManifestFile(name, 1, "0".repeat(64));
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, build);
            assertTrue(e.getMessage().startsWith("field 'name'"), e.getMessage());
        }
        assertEquals("null", Ids.printable(null));
    }
}
