package dev.savepoint.scheduler.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.determinism.CpuFamily;
import dev.savepoint.contracts.determinism.DeterminismFingerprint;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.contracts.runtime.AttemptEnvironment;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.contracts.spec.RuntimeSpec;
import dev.savepoint.contracts.spec.TrainerSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Job the launcher creates on fabric8's mock API server, for each trainer type, is the rendering of
 * deploy/kubernetes/base/attempt-job.yaml with the attempt's values; the packaged copy is that file; an admin's
 * change to a configured template reaches the Jobs; a template the launcher cannot fill is refused at start.
 */
class AttemptJobTemplateTest {

    private final List<KubernetesFixture> fixtures = new ArrayList<>();

    @AfterEach
    void stop() {
        fixtures.forEach(KubernetesFixture::close);
    }

    private KubernetesFixture k8s(Optional<String> template) {
        KubernetesFixture k8s = new KubernetesFixture(KubernetesFixture.config(
                Optional.of("http://minio.savepoint.svc:9000"), template));
        fixtures.add(k8s);
        return k8s;
    }

    static Path deployed() {
        Path dir = Path.of("").toAbsolutePath();
        return Stream.iterate(dir, p -> p != null, Path::getParent)
                .map(p -> p.resolve("deploy/kubernetes/base/attempt-job.yaml")).filter(Files::isRegularFile)
                .findFirst().orElseThrow(() -> new AssertionError("no deploy/kubernetes/base/attempt-job.yaml above "
                        + dir));
    }

    private static RunSpec builtIn(String determinism) {
        return Json.read("""
                {"name": "demo", "seed": 7, "maxSteps": 100, "batchSize": 8,
                 "model": {"type": "mlp", "inputs": 4, "hidden": [8], "outputs": 2},
                 "data": {"type": "synthetic", "samples": 16, "classes": 2},
                 "runtime": {"cpu": "2", "memory": "3Gi"}, "determinism": %s}"""
                .formatted(determinism == null ? "null" : "\"" + determinism + "\""), RunSpec.class);
    }

    private static RunSpec command() {
        TrainerSpec trainer = new TrainerSpec(TrainerSpec.COMMAND, TrainerSpec.HF_TRAINER,
                List.of("python3", "train.py", "--output_dir", "{outputDir}", "--max_steps", "{maxSteps}"), "/app",
                Map.of("HF_HOME", "/cache/hf"), "python:3.11-slim", null, null, null, null, null, null, null, null,
                null);
        return RunSpec.command("hf", 300, trainer, null, null, new RuntimeSpec(null, null, "4", "8Gi"));
    }

    /** The attempt environment the fixture's launcher is configured with, then the attempt's own secret. */
    private static List<EnvVar> attemptEnv(String job) {
        List<EnvVar> env = new ArrayList<>();
        var attempt = AttemptEnvironment.withSecret(new AttemptEnvironment.Endpoints("kafka.savepoint.svc:9092",
                "http://checkpoint-service:8082", "http://minio.savepoint.svc:9000", "ckpts"), "savepoint-trainer-s3");
        attempt.values().forEach((name, value) -> env.add(new EnvVar(name, value, null)));
        attempt.secretRefs().forEach((name, ref) -> env.add(new EnvVarBuilder().withName(name).withNewValueFrom()
                .withNewSecretKeyRef(ref.key(), ref.secret(), ref.optional()).endValueFrom().build()));
        env.add(new EnvVarBuilder().withName("SAVEPOINT_ATTEMPT_SECRET").withNewValueFrom()
                .withNewSecretKeyRef("savepoint-attempt-secret", job + "-secret", false).endValueFrom().build());
        return env;
    }

    /** The values of attempt 2 of run Demo_Run, as the test expects the launcher to fill them. */
    private static Map<String, Object> values(String cpu, String memory, long grace) {
        Map<String, Object> values = new HashMap<>();
        values.put("name", "demo-run-2");
        values.put("runId", "Demo_Run");
        values.put("runLabel", "demo-run");
        values.put("attempt", "2");
        values.put("specConfigMap", "demo-run-2-spec");
        values.put("attemptSecret", "demo-run-2-secret");
        values.put("runnerImage", "savepoint/trainer:test");
        values.put("attemptEnv", attemptEnv("demo-run-2"));
        Map<String, Quantity> amounts = Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory));
        values.put("resources", new ResourceRequirementsBuilder().withRequests(amounts).withLimits(amounts).build());
        values.put("serviceAccount", "savepoint-trainer");
        values.put("terminationGracePeriodSeconds", grace);
        values.put("activeDeadlineSeconds", 604_800L);
        values.put("ttlSecondsAfterFinished", 3_600L);
        List<String> run = List.of("--run", "Demo_Run", "--attempt", "2", "--spec", "/etc/savepoint/spec.json");
        values.put("attemptArgs", concat(List.of("attempt"), run, List.of("--resume-from", "latest")));
        values.put("restoreArgs", concat(List.of("attempt", "restore"), run,
                List.of("--resume-from", "latest", "--work", "/savepoint/work")));
        values.put("watchArgs", concat(List.of("attempt", "watch"), run, List.of("--work", "/savepoint/work")));
        return values;
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        return Stream.of(parts).flatMap(List::stream).toList();
    }

    /** The created Job as the launcher sent it: without what the API server adds. */
    private static Job created(KubernetesFixture k8s, String name) {
        Job job = k8s.job(name);
        job.getMetadata().setUid(null);
        job.getMetadata().setResourceVersion(null);
        job.getMetadata().setCreationTimestamp(null);
        job.getMetadata().setGeneration(null);
        job.getMetadata().setNamespace(null);
        return job;
    }

    private static JobTemplate deployedTemplate() throws IOException {
        return JobTemplate.parse(Files.readString(deployed()), deployed().toString());
    }

    @Test
    void aBuiltInRunsJobIsTheTemplatesBuiltInJobWithTheAttemptsValues() throws IOException {
        KubernetesFixture k8s = k8s(Optional.empty());
        k8s.launcher.launch(LaunchAttempt.of("Demo_Run", 2, builtIn(null), "latest", null));
        Job expected = deployedTemplate().render(JobTemplate.BUILT_IN, values("2", "3Gi", 60));
        assertEquals(expected, created(k8s, "demo-run-2"));
        assertEquals("built-in", expected.getMetadata().getAnnotations().get(JobTemplate.TYPE_ANNOTATION));
        assertEquals(List.of("attempt"), expected.getSpec().getTemplate().getSpec().getContainers().stream()
                .map(c -> c.getName()).toList(), "the rendering is a real Job, not an empty one");
    }

    @Test
    void aCommandRunsJobIsTheTemplatesCommandJobWithTheAttemptsValues() throws IOException {
        KubernetesFixture k8s = k8s(Optional.empty());
        k8s.launcher.launch(LaunchAttempt.of("Demo_Run", 2, command(), "latest", null));
        Map<String, Object> values = values("4", "8Gi", 60 + 120);
        values.put("trainerImage", "python:3.11-slim");
        values.put("trainerCommand", TrainerWrapper.command(List.of("python3", "train.py", "--output_dir",
                "/savepoint/work/output", "--max_steps", "300")));
        values.put("trainerWorkingDir", "/app");
        values.put("trainerEnv", List.of(new EnvVar("HF_HOME", "/cache/hf", null),
                new EnvVar("SAVEPOINT_WORK", "/savepoint/work", null)));
        Job expected = deployedTemplate().render(JobTemplate.COMMAND, values);
        assertEquals(expected, created(k8s, "demo-run-2"));
        assertEquals(List.of("restore", "watch"), expected.getSpec().getTemplate().getSpec().getInitContainers()
                .stream().map(c -> c.getName()).toList());
    }

    @Test
    void theSpecConfigMapAndTheAttemptSecretCarryTheTemplatesLabels() {
        KubernetesFixture k8s = k8s(Optional.empty());
        k8s.launcher.launch(LaunchAttempt.of("Demo_Run", 2, builtIn(null), "latest", null));
        Map<String, String> labels = k8s.job("demo-run-2").getMetadata().getLabels();
        assertEquals(Map.of("app.kubernetes.io/part-of", "savepoint", "app.kubernetes.io/component", "attempt",
                "savepoint.dev/run", "demo-run", "savepoint.dev/attempt", "2"), labels);
        assertEquals(labels, k8s.client.configMaps().inNamespace(KubernetesFixture.NAMESPACE)
                .withName("demo-run-2-spec").get().getMetadata().getLabels());
        assertEquals(labels, k8s.client.secrets().inNamespace(KubernetesFixture.NAMESPACE)
                .withName("demo-run-2-secret").get().getMetadata().getLabels());
    }

    @Test
    void thePackagedTemplateIsTheDeployedFile() throws IOException {
        try (InputStream in = JobTemplate.class.getResourceAsStream(JobTemplate.PACKAGED)) {
            assertTrue(in != null, "the build packages " + JobTemplate.PACKAGED + " beside JobTemplate");
            assertEquals(Files.readString(deployed()), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static final DeterminismFingerprint XEON = new DeterminismFingerprint("GenuineIntel",
            "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz", "avx2", "AVX2,STRICT", "avx2", 1, "0.36.0", "2.7.1",
            "17", "0.1.0");

    @Test
    void aStrictRunsLaterAttemptRunsOnlyOnNodesWithTheCpuOfItsCheckpoints() {
        KubernetesFixture k8s = k8s(Optional.empty());
        k8s.launcher.launch(LaunchAttempt.of("Demo_Run", 2, builtIn("strict"), "latest", null)
                .onCpu(CpuFamily.of(XEON)));
        var terms = k8s.job("demo-run-2").getSpec().getTemplate().getSpec().getAffinity().getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
        assertEquals(1, terms.size());
        assertEquals(List.of(new NodeSelectorRequirement("savepoint.dev/cpu-model", "In",
                List.of("intel-r-xeon-r-platinum-8375c-cpu-2-90ghz")), new NodeSelectorRequirement(
                        "savepoint.dev/cpu-vendor", "In", List.of("genuineintel"))),
                terms.get(0).getMatchExpressions());
    }

    @Test
    void aBestEffortRunOrAStrictOneWithoutAKnownCpuRunsAnywhere() {
        KubernetesFixture k8s = k8s(Optional.empty());
        k8s.launcher.launch(LaunchAttempt.of("Best_Effort", 2, builtIn("best-effort"), "latest", null)
                .onCpu(CpuFamily.of(XEON)));
        k8s.launcher.launch(LaunchAttempt.of("Strict_First", 1, builtIn("strict"), null, null));
        assertNull(k8s.job("best-effort-2").getSpec().getTemplate().getSpec().getAffinity());
        assertNull(k8s.job("strict-first-1").getSpec().getTemplate().getSpec().getAffinity());
    }

    @Test
    void anAdminsChangeToTheConfiguredTemplateReachesEveryJob(@TempDir Path dir) throws IOException {
        Path template = dir.resolve("attempt-job.yaml");
        Files.writeString(template, Files.readString(deployed()).replace("      restartPolicy: Never\n",
                "      restartPolicy: Never\n      priorityClassName: training\n"
                        + "      tolerations: [{key: gpu, operator: Exists, effect: NoSchedule}]\n"));
        KubernetesFixture k8s = k8s(Optional.of(template.toString()));
        k8s.launcher.launch(LaunchAttempt.of("Demo_Run", 1, builtIn(null), null, null));
        k8s.launcher.launch(LaunchAttempt.of("Hf_Run", 1, command(), null, null));
        for (String name : List.of("demo-run-1", "hf-run-1")) {
            var pod = k8s.job(name).getSpec().getTemplate().getSpec();
            assertEquals("training", pod.getPriorityClassName(), name);
            assertEquals("gpu", pod.getTolerations().get(0).getKey(), name);
        }
    }

    @Test
    void aTemplateNamingAValueTheLauncherDoesNotFillIsRefusedNamingItAndWhere() throws IOException {
        String yaml = Files.readString(deployed());
        var unknown = assertThrows(IllegalStateException.class, () -> JobTemplate.parse(
                yaml.replaceFirst("serviceAccountName: \\$\\{serviceAccount}", "serviceAccountName: \\${account}"),
                "edited.yaml"));
        assertTrue(unknown.getMessage().contains("spec.template.spec.serviceAccountName names ${account}"),
                unknown.getMessage());
        var embedded = assertThrows(IllegalStateException.class, () -> JobTemplate.parse(
                yaml.replaceFirst("name: \\$\\{name}", "name: job-\\${name}"), "edited.yaml"));
        assertTrue(embedded.getMessage().contains("metadata.name holds a ${...} inside a longer text"),
                embedded.getMessage());
        var missing = assertThrows(IllegalStateException.class, () -> JobTemplate.parse(
                yaml.substring(0, yaml.indexOf("\n---\n")), "built-in-only.yaml"));
        assertTrue(missing.getMessage().contains("no Job for trainer type command"), missing.getMessage());
        var unreadable = assertThrows(IllegalStateException.class, () -> JobTemplate.load(Optional.of(
                "/nonexistent/attempt-job.yaml")));
        assertTrue(unreadable.getMessage().contains("savepoint.scheduler.kubernetes.job-template"),
                unreadable.getMessage());
    }
}
