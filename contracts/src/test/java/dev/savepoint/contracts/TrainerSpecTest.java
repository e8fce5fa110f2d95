package dev.savepoint.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.contracts.spec.TrainerSpec;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.contracts.checkpoint.StateLayout;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainerSpecTest {

    private static final String KOHYA = """
            {"name": "lora", "maxSteps": 300,
             "trainer": {"type": "command", "preset": "kohya",
                         "command": ["python3", "train_network.py", "--output_dir", "{outputDir}"]}}""";

    private static RunSpec submitted(String json) {
        return Json.submittedSpec(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSpecWithoutTrainerIsTheBuiltInTrainer() {
        RunSpec spec = SpecFixtures.demo();
        assertEquals(TrainerSpec.DJL, spec.trainer().type());
        assertTrue(!spec.isCommand());
        assertEquals(spec, Json.spec(Json.write(spec)));
    }

    @Test
    void kohyaPresetFillsStateFoldersStepFieldResumeFlagAndWeightsBeside() {
        RunSpec spec = submitted(KOHYA);
        TrainerSpec t = spec.trainer().resolved();
        assertEquals(List.of("--resume", "{stateDir}"), t.resumeArgs());
        assertEquals("*-state", t.statePattern());
        assertEquals("train_state.json:current_step", t.stepFrom());
        assertEquals("{stem}.safetensors", t.besidePattern());
        assertEquals(TrainerSpec.DEFAULT_SETTLE_SECONDS, t.settleSeconds());
        assertTrue(t.permanentPatterns().contains("CUDA out of memory"), t.permanentPatterns().toString());
        assertNull(spec.schedule(), "a command run has no schedule of the built-in trainer");
        assertNull(spec.checkpoint());
        assertEquals(spec, Json.spec(Json.write(spec)), "a command spec round-trips through an event");
    }

    @Test
    void hfTrainerPresetReadsGlobalStepOfCheckpointFolders() {
        TrainerSpec t = TrainerSpec.command(TrainerSpec.HF_TRAINER, List.of("python3", "train.py")).resolved();
        assertEquals(List.of("--resume_from_checkpoint", "{stateDir}"), t.resumeArgs());
        assertEquals("checkpoint-*", t.statePattern());
        assertEquals("trainer_state.json:global_step", t.stepFrom());
        assertNull(t.besidePattern());
    }

    @Test
    void theUsersValuesWinOverThePresetAndHerPatternsAreAdded() {
        TrainerSpec mine = new TrainerSpec("command", "hf-trainer", List.of("python3", "t.py"), null, null, null,
                List.of("--resume", "{stateDir}"), "ckpt_*", null, null, "DONE", 0, "restarts", List.of(3),
                List.of("my fatal error"));
        TrainerSpec t = mine.resolved();
        assertEquals(List.of("--resume", "{stateDir}"), t.resumeArgs());
        assertEquals("ckpt_*", t.statePattern());
        assertEquals("trainer_state.json:global_step", t.stepFrom());
        assertEquals("DONE", t.marker());
        assertEquals(0, t.settleSeconds());
        assertEquals("restarts", t.counter());
        assertEquals(List.of(3), t.permanentExitCodes());
        assertTrue(t.permanentPatterns().contains("my fatal error"));
        assertTrue(t.permanentPatterns().containsAll(TrainerSpec.COMMON_PERMANENT_PATTERNS));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "seed|\"seed\": 7|seed must be absent",
        "batchSize|\"batchSize\": 8|batchSize must be absent",
        "model|\"model\": {\"type\": \"mlp\", \"inputs\": 4, \"outputs\": 2}|model must be absent",
        "data|\"data\": {\"type\": \"synthetic\"}|data must be absent",
        "optimizer|\"optimizer\": {\"type\": \"adamw\", \"lr\": 0.01}|optimizer must be absent",
        "schedule|\"schedule\": {\"type\": \"cosine\"}|schedule must be absent",
        "checkpoint|\"checkpoint\": {\"everySteps\": 10}|checkpoint must be absent"})
    void aBuiltInSectionInACommandRunIsRefusedByName(String field, String section, String expected) {
        String json = KOHYA.replace("\"maxSteps\": 300,", "\"maxSteps\": 300, " + section + ",");
        var e = assertThrows(IllegalArgumentException.class, () -> submitted(json));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no command|\"command\": []|trainer.command",
        "unknown preset|\"preset\": \"axolotl\"|trainer.preset",
        "unknown type|\"type\": \"jax\"|trainer.type",
        "resume args without stateDir|\"resumeArgs\": [\"--resume\"]|trainer.resumeArgs",
        "glob with a slash|\"statePattern\": \"out/*-state\"|trainer.statePattern",
        "stepFrom without field|\"stepFrom\": \"train_state.json\"|trainer.stepFrom",
        "bad regex|\"permanentPatterns\": [\"(\"]|trainer.permanentPatterns",
        "exit code 0|\"permanentExitCodes\": [0]|trainer.permanentExitCodes",
        "marker path|\"marker\": \"../DONE\"|trainer.marker",
        "settle too long|\"settleSeconds\": 99999|trainer.settleSeconds",
        "counter|\"counter\": \"sometimes\"|trainer.counter",
        "env name|\"env\": {\"1X\": \"v\"}|trainer.env"})
    void aWrongTrainerFieldIsRefusedByName(String what, String field, String expected) throws Exception {
        ObjectNode json = (ObjectNode) Json.mapper().readTree(KOHYA);
        ObjectNode trainer = (ObjectNode) json.get("trainer");
        trainer.setAll((ObjectNode) Json.mapper().readTree("{" + field + "}"));
        var e = assertThrows(IllegalArgumentException.class, () -> Json.submittedSpec(Json.write(json)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void theGenericPresetNeedsItsResumeArgsAndStatePattern() {
        String json = KOHYA.replace("\"kohya\"", "\"generic\"");
        var e = assertThrows(IllegalArgumentException.class, () -> submitted(json));
        assertTrue(e.getMessage().contains("trainer.resumeArgs"), e.getMessage());
        assertTrue(e.getMessage().contains("trainer.statePattern"), e.getMessage());
        RunSpec ok = submitted(KOHYA.replace("\"kohya\",", "\"generic\", \"resumeArgs\": [\"--from\", \"{stateDir}\"],"
                + " \"statePattern\": \"state_*\","));
        assertEquals("state_*", ok.trainer().resolved().statePattern());
    }

    @Test
    void aBuiltInRunStillNeedsItsSections() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> submitted("{\"name\": \"x\", \"maxSteps\": 10}"));
        assertTrue(e.getMessage().contains("seed"), e.getMessage());
        assertTrue(e.getMessage().contains("model"), e.getMessage());
    }

    @Test
    void aCommandCheckpointsManifestCarriesWhereEachFileLiesAndRefusesPathsOutsideTheFolder() {
        var layout = new StateLayout("demo-step00000050-state", Map.of(
                "train_state.json", "demo-step00000050-state/train_state.json",
                "demo-step00000050.safetensors", "demo-step00000050.safetensors"), 50L);
        var manifest = new CheckpointManifest(0, "id", "run", 2, 150, null,
                List.of(new ManifestFile("train_state.json", 3, "0".repeat(64))), layout);
        var read = Json.read(Json.write(manifest), CheckpointManifest.class);
        assertEquals(layout, read.layout());
        for (String bad : List.of("../etc/passwd", "/etc/passwd", "a//b", "a/./b", "a/../../b")) {
            assertThrows(IllegalArgumentException.class,
                    () -> new StateLayout("s", Map.of("f", bad), null), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new StateLayout("a/b", Map.of(), null));
    }
}
