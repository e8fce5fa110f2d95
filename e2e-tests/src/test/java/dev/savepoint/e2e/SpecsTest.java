package dev.savepoint.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.contracts.spec.TrainerSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command-run specs the end-to-end tests submit pass the scheduler's checks, so a test never dies on a 400. */
class SpecsTest {

    @Test
    void commandSpecIsAValidSubmittedSpec() {
        String json = Specs.command("e2e-x", 120, TrainerSpec.KOHYA,
                List.of("/usr/bin/python3", "/tmp/a b.py", "--output_dir", "{outputDir}"), "done.txt", 3);
        RunSpec spec = Json.submittedSpec(json.getBytes(StandardCharsets.UTF_8));
        assertTrue(spec.isCommand());
        assertEquals(120, spec.maxSteps());
        assertEquals("/tmp/a b.py", spec.trainer().command().get(1));
        assertEquals(1000, spec.retention().keepLast());
        assertEquals(3, spec.restart().maxRestarts());
    }
}
