package dev.savepoint.trainer.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.spec.TrainerSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The small pure parts of a command run: substitutions, state names, output patterns and exit classification. */
class PureCommandPartsTest {

    @Test
    void knownPlaceholdersAreSubstitutedAndUnknownOnesLeftAlone() {
        assertEquals(List.of("--output_dir", "/w/output", "--max", "100", "{epoch}-{step}", "--resume", "/r/s"),
                Substitutions.apply(List.of("--output_dir", "{outputDir}", "--max", "{maxSteps}", "{epoch}-{step}",
                        "--resume", "{stateDir}"), Map.of("outputDir", "/w/output", "maxSteps", "100",
                                "stateDir", "/r/s")));
        assertEquals("x100x", Substitutions.apply("x{maxSteps}x", Map.of("maxSteps", "100")));
        assertEquals("{epoch}-{step}", Substitutions.apply("{epoch}-{step}", Map.of("maxSteps", "100")));
        assertEquals("$1\\", Substitutions.apply("{a}", Map.of("a", "$1\\")), "values are taken literally");
    }

    @Test
    void stateNamesGiveTheStemAndTheFilesBesideIt() {
        StateNames kohya = new StateNames("*-state", "{stem}.safetensors");
        assertEquals(Optional.of("demo-step00000050"), kohya.stem("demo-step00000050-state"));
        assertEquals(Optional.empty(), kohya.stem("demo-step00000050"));
        assertTrue(kohya.isBeside("demo-step00000050-state", "demo-step00000050.safetensors"));
        assertFalse(kohya.isBeside("demo-step00000050-state", "demo-step00000060.safetensors"));
        StateNames hf = new StateNames("checkpoint-*", null);
        assertEquals(Optional.of("300"), hf.stem("checkpoint-300"));
        assertFalse(hf.isBeside("checkpoint-300", "anything"));
        assertEquals(Optional.of(300L), StateNames.lastNumber("checkpoint-300"));
    }

    @Test
    void theFirstPermanentMatchAndThePrintedHashAreKept() {
        OutputScan scan = new OutputScan(TrainerSpec.command("kohya", List.of("x")).resolved().permanentPatterns());
        scan.line("step 1/10");
        scan.line("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB");
        scan.line("SyntaxError: later");
        scan.line("final-params-sha256=" + "ab".repeat(32));
        assertEquals("CUDA out of memory", scan.permanent().orElseThrow().pattern());
        assertTrue(scan.permanent().orElseThrow().line().startsWith("torch.OutOfMemoryError"));
        assertEquals(Optional.of("ab".repeat(32)), scan.finalHash());
    }

    @Test
    void exitsAreClassified() {
        var match = Optional.of(new OutputScan.Match("No such file or directory: .*\\.py", "No such file or "
                + "directory: 'x.py'"));
        var permanent = ExitClassifier.classify(1, match, List.of());
        assertEquals(FailureReason.PERMANENT_ERROR, permanent.reason());
        assertEquals("permanent failure: output matched 'No such file or directory: .*\\.py': No such file or "
                + "directory: 'x.py' (exit code 1)", permanent.message());
        assertEquals(FailureReason.PERMANENT_ERROR, ExitClassifier.classify(3, Optional.empty(), List.of(3)).reason());
        var killed = ExitClassifier.classify(137, Optional.empty(), List.of());
        assertEquals(FailureReason.KILLED, killed.reason());
        assertEquals("the trainer was killed by SIGKILL (exit code 137)", killed.message());
        assertEquals(FailureReason.CRASHED, ExitClassifier.classify(1, Optional.empty(), List.of(3)).reason());
    }
}
