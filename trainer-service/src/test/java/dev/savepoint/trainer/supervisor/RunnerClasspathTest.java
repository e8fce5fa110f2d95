package dev.savepoint.trainer.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerClasspathTest {

    @Test
    void aRecordedClassPathWhoseJarsAreOnThisMachineIsUsedAsItIs(@TempDir Path dir) throws Exception {
        String classPath = Files.createFile(dir.resolve("a.jar")) + File.pathSeparator + dir;
        assertEquals(classPath, RunnerClasspath.requirePresent(classPath));
    }

    @Test
    void aRecordedClassPathIntoAnotherMachinesMavenRepositoryIsRefusedNamingTheSetting(@TempDir Path dir) {
        String classPath = dir + File.pathSeparator + "/home/builder/.m2/repository/ai/djl/api/0.36.0/api-0.36.0.jar";
        var e = assertThrows(IllegalStateException.class, () -> RunnerClasspath.requirePresent(classPath));
        assertTrue(e.getMessage().contains("/home/builder/.m2/repository/ai/djl/api/0.36.0/api-0.36.0.jar"),
                e.getMessage());
        assertTrue(e.getMessage().contains("SAVEPOINT_RUNNER_CLASS_PATH"), e.getMessage());
    }
}
