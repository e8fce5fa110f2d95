package dev.savepoint.scheduler.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.savepoint.contracts.runtime.AttemptEnvironment;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Renders deploy/kubernetes with {@code kubectl kustomize} (no cluster, no stack) and checks every object as the
 * fabric8 model reads it: pinned images, no Secret values, probes, resources and security contexts, and a scheduler
 * Role that grants exactly what the kubernetes launcher calls.
 */
class KustomizeManifestsTest {

    /** The renderings: the base alone, both overlays, and production with the Strimzi component. */
    private static final String BASE = "deploy/kubernetes/base";
    private static final String STRIMZI = "production+strimzi";

    /**
     * The verbs of the fabric8 calls in KubernetesLauncher and KubernetesJobWatcher (fabric8 7.5: an informer lists,
     * then watches; createOr(update) creates and on a conflict gets and updates):
     * <ul>
     * <li>jobs: {@code jobs().withName(n).get()} (launch, probe, cancel) get; {@code resource(job).create()} create;
     * {@code withName(n).withGracePeriod(g).delete()} (cancel) and {@code withName(n).delete()} (watcher, a Job
     * that cannot start) delete; {@code withLabel(..).runnableInformer(0)} (watcher) list + watch;
     * {@code withName(n).patch(JSON_MERGE, ..)} (watcher marks a failure reported) patch</li>
     * <li>configmaps, secrets: {@code resource(..).createOr(existing -> existing.update())} create, get, update</li>
     * <li>pods: {@code pods().withLabel("job-name", n).list()} (probe) list; {@code withLabel(..).runnableInformer(0)}
     * (watcher) list + watch</li>
     * </ul>
     */
    private static final Map<String, Set<String>> LAUNCHER_VERBS = Map.of(
            "batch/jobs", Set.of("get", "create", "delete", "list", "watch", "patch"),
            "/configmaps", Set.of("create", "get", "update"),
            "/secrets", Set.of("create", "get", "update"),
            "/pods", Set.of("list", "watch"));

    private static Map<String, Set<String>> launcherVerbs() {
        Map<String, Set<String>> verbs = new TreeMap<>();
        LAUNCHER_VERBS.forEach((resource, v) -> verbs.put(resource, new TreeSet<>(v)));
        return verbs;
    }

    private static final Map<String, String> SERVICE_PROBES = Map.of("startup", "/q/health/started", "liveness",
            "/q/health/live", "readiness", "/q/health/ready");

    private static final KubernetesSerialization serialization = new KubernetesSerialization();

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production", STRIMZI})
    void everyOverlayRendersToObjectsTheModelKnowsWithPinnedImagesAndHardenedContainers(String overlay)
            throws Exception {
        List<HasMetadata> objects = render(overlay);
        assertTrue(objects.size() > 20, overlay + " renders only " + objects.size() + " objects");
        for (HasMetadata object : objects) {
            String what = overlay + ": " + object.getKind() + " " + object.getMetadata().getName();
            if (!object.getKind().equals("Namespace")) {
                assertEquals("savepoint", object.getMetadata().getNamespace(), what + " is not in savepoint");
            }
            assertTrue(!(object instanceof GenericKubernetesResource) || object.getApiVersion().startsWith(
                    "kafka.strimzi.io/"), what + " is not a kind of the fabric8 model");
            assertTrue(unknownFields(object, "").isEmpty(), what + " has fields the model does not know: "
                    + unknownFields(object, ""));
            assertFalse(object instanceof Secret, what + ": Secrets are created from secrets/*.env, never rendered");
            podSpec(object).ifPresent(pod -> checkPod(what, object, pod));
        }
        ConfigMap endpoints = one(objects, ConfigMap.class, "savepoint-endpoints");
        checkPinned(overlay + ": savepoint-endpoints trainer-image", endpoints.getData().get("trainer-image"));
    }

    @Test
    void baseHoldsNoSecretValuesAndReferencesOnlySecretKeysTheServicesAndAttemptsKnow() throws Exception {
        List<HasMetadata> objects = render("base");
        assertTrue(objects.stream().noneMatch(o -> o instanceof Secret), "the base renders a Secret");
        Set<String> attemptKeys = new TreeSet<>();
        AttemptEnvironment.withSecret(new AttemptEnvironment.Endpoints("k", "c", "s", "b"), "savepoint-trainer-s3")
                .secretRefs().values().forEach(ref -> attemptKeys.add(ref.key()));
        for (Deployment deployment : all(objects, Deployment.class)) {
            for (Container c : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                for (EnvVar env : c.getEnv()) {
                    assertTrue(env.getValue() == null || !env.getName().matches(".*(PASSWORD|SECRET|TOKEN|KEY).*"),
                            c.getName() + " has " + env.getName() + " as a value, not a Secret reference");
                    var ref = env.getValueFrom() == null ? null : env.getValueFrom().getSecretKeyRef();
                    if (ref != null && ref.getName().equals("savepoint-trainer-s3")) {
                        assertTrue(attemptKeys.contains(ref.getKey()), c.getName() + " reads " + ref.getKey()
                                + " of savepoint-trainer-s3, which AttemptEnvironment does not name: " + attemptKeys);
                    }
                }
            }
        }
    }

    @Test
    void schedulerRoleGrantsExactlyTheVerbsOfTheLaunchersCalls() throws Exception {
        List<HasMetadata> objects = render("base");
        Role role = one(objects, Role.class, "savepoint-scheduler");
        Map<String, Set<String>> granted = new TreeMap<>();
        role.getRules().forEach(rule -> rule.getApiGroups().forEach(group -> rule.getResources().forEach(
                resource -> granted.computeIfAbsent(group + "/" + resource, k -> new TreeSet<>())
                        .addAll(rule.getVerbs()))));
        assertEquals(launcherVerbs(), granted, "the scheduler Role's rules (group/resource: verbs)");
        RoleBinding binding = one(objects, RoleBinding.class, "savepoint-scheduler");
        assertEquals("savepoint-scheduler", binding.getRoleRef().getName());
        assertEquals("savepoint-scheduler", binding.getSubjects().get(0).getName());
        assertEquals("savepoint-scheduler", one(objects, Deployment.class, "scheduler-service").getSpec()
                .getTemplate().getSpec().getServiceAccountName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theAttemptJobTemplateIsMountedIntoTheSchedulerAndRendersHardenedJobsOfBothTrainerTypes(String overlay)
            throws Exception {
        List<HasMetadata> objects = render(overlay);
        ConfigMap template = all(objects, ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().startsWith("savepoint-attempt-job-")).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": no ConfigMap savepoint-attempt-job-<hash>"));
        String yaml = template.getData().get("attempt-job.yaml");
        assertEquals(Files.readString(repositoryRoot().resolve(BASE).resolve("attempt-job.yaml")), yaml,
                "the ConfigMap holds deploy/kubernetes/base/attempt-job.yaml as it is");
        PodSpec scheduler = one(objects, Deployment.class, "scheduler-service").getSpec().getTemplate().getSpec();
        String volume = scheduler.getVolumes().stream().filter(v -> v.getConfigMap() != null
                && template.getMetadata().getName().equals(v.getConfigMap().getName())).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": the scheduler does not mount " + template
                        .getMetadata().getName())).getName();
        Container container = scheduler.getContainers().get(0);
        String mount = container.getVolumeMounts().stream().filter(m -> m.getName().equals(volume)).findFirst()
                .orElseThrow().getMountPath();
        assertEquals(mount + "/attempt-job.yaml", container.getEnv().stream()
                .filter(e -> e.getName().equals("SAVEPOINT_SCHEDULER_KUBERNETES_JOB_TEMPLATE")).findFirst()
                .orElseThrow().getValue(), overlay + ": the scheduler's job-template is the mounted file");

        String runnerImage = one(objects, ConfigMap.class, "savepoint-endpoints").getData().get("trainer-image");
        JobTemplate jobs = JobTemplate.parse(yaml, template.getMetadata().getName());
        for (String type : List.of(JobTemplate.BUILT_IN, JobTemplate.COMMAND)) {
            Job job = jobs.render(type, sampleValues(runnerImage));
            String what = overlay + ": the " + type + " attempt Job";
            assertTrue(unknownFields(job, "").isEmpty(), what + " has fields the model does not know: "
                    + unknownFields(job, ""));
            PodSpec pod = job.getSpec().getTemplate().getSpec();
            one(objects, io.fabric8.kubernetes.api.model.ServiceAccount.class, pod.getServiceAccountName());
            assertEquals(AttemptJob.COMPONENT, job.getSpec().getTemplate().getMetadata().getLabels()
                    .get("app.kubernetes.io/component"), what + ": the label the NetworkPolicies select attempts by");
            assertTrue(all(objects, NetworkPolicy.class).stream().anyMatch(p -> AttemptJob.COMPONENT.equals(
                    p.getSpec().getPodSelector().getMatchLabels() == null ? null : p.getSpec().getPodSelector()
                            .getMatchLabels().get("app.kubernetes.io/component"))), what + ": no policy for it");
            assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), what + ": no API token");
            assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType(), what);
            List<Container> runners = new ArrayList<>(pod.getContainers());
            if (pod.getInitContainers() != null) {
                runners.addAll(pod.getInitContainers());
            }
            runners.removeIf(c -> c.getName().equals(AttemptJob.TRAINER)); // the user's image, the user's rules
            assertEquals(type.equals(JobTemplate.BUILT_IN) ? 1 : 2, runners.size(), what);
            for (Container c : runners) {
                String runner = what + " container " + c.getName();
                assertEquals(runnerImage, c.getImage(), runner);
                checkPinned(runner, c.getImage());
                var security = c.getSecurityContext();
                boolean nonRoot = Boolean.TRUE.equals(security.getRunAsNonRoot())
                        || Boolean.TRUE.equals(pod.getSecurityContext().getRunAsNonRoot());
                assertTrue(nonRoot && Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())
                        && Boolean.TRUE.equals(security.getReadOnlyRootFilesystem())
                        && List.of("ALL").equals(security.getCapabilities().getDrop()), runner + ": hardened");
                assertTrue(c.getResources().getLimits().keySet().containsAll(Set.of("cpu", "memory")), runner);
                assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")), runner);
                assertTrue(c.getEnv().stream().anyMatch(e -> e.getName().equals("MKL_CBWR")),
                        runner + ": the determinism environment");
            }
            assertTrue(job.getSpec().getTtlSecondsAfterFinished() != null && job.getSpec().getBackoffLimit() == 0
                    && pod.getTerminationGracePeriodSeconds() != null, what + ": ttl, no retries, a grace period");
        }
    }

    /** Values like the launcher's, for rendering the template without a launcher. */
    static Map<String, Object> sampleValues(String runnerImage) {
        Map<String, Object> values = new java.util.HashMap<>();
        List<EnvVar> env = new ArrayList<>();
        AttemptEnvironment.DETERMINISM.forEach((name, value) -> env.add(new EnvVar(name, value, null)));
        for (String name : JobTemplate.VALUES) {
            values.put(name, "sample");
        }
        values.putAll(Map.of("attempt", "1", "runnerImage", runnerImage, "serviceAccount", "savepoint-trainer",
                "attemptEnv", env, "attemptArgs", List.of("attempt"), "restoreArgs", List.of("attempt", "restore"),
                "watchArgs", List.of("attempt", "watch"), "trainerCommand", List.of("python3", "train.py"),
                "trainerEnv", List.of(), "trainerImage", "python:3.11-slim"));
        Map<String, io.fabric8.kubernetes.api.model.Quantity> amounts = Map.of("cpu",
                new io.fabric8.kubernetes.api.model.Quantity("1"), "memory",
                new io.fabric8.kubernetes.api.model.Quantity("2Gi"));
        values.put("resources", Map.of("requests", amounts, "limits", amounts));
        values.putAll(Map.of("terminationGracePeriodSeconds", 60L, "ttlSecondsAfterFinished", 86_400L));
        values.put("activeDeadlineSeconds", null);
        values.put("affinity", null);
        return values;
    }

    @Test
    void onlyTheSchedulerMayReachAddressesOutsideTheNamespacePeers() throws Exception {
        for (String overlay : List.of("dev", STRIMZI)) {
            List<NetworkPolicy> policies = all(render(overlay), NetworkPolicy.class);
            assertTrue(policies.stream().anyMatch(p -> p.getMetadata().getName().equals("default-deny")
                    && (p.getSpec().getPodSelector().getMatchLabels() == null
                            || p.getSpec().getPodSelector().getMatchLabels().isEmpty())
                    && p.getSpec().getPolicyTypes().containsAll(List.of("Ingress", "Egress"))), overlay);
            for (NetworkPolicy policy : policies) {
                var selector = policy.getSpec().getPodSelector().getMatchLabels();
                boolean scheduler = selector != null
                        && "scheduler-service".equals(selector.get("app.kubernetes.io/name"));
                boolean strimzi = selector != null && selector.containsKey("strimzi.io/cluster");
                for (var rule : policy.getSpec().getEgress() == null ? List.<io.fabric8.kubernetes.api.model
                        .networking.v1.NetworkPolicyEgressRule>of() : policy.getSpec().getEgress()) {
                    boolean anywhere = rule.getTo() == null || rule.getTo().isEmpty();
                    boolean dns = rule.getPorts() != null && rule.getPorts().stream()
                            .allMatch(p -> p.getPort().getIntVal() != null && p.getPort().getIntVal() == 53);
                    boolean dnsOnly = dns && !anywhere
                            && rule.getTo().stream().allMatch(t -> t.getNamespaceSelector() != null);
                    assertTrue(!anywhere || scheduler || strimzi, overlay + ": " + policy.getMetadata().getName()
                            + " lets pods other than the scheduler reach any address");
                    assertTrue(rule.getTo() == null || rule.getTo().stream().allMatch(t -> t.getNamespaceSelector()
                            == null) || dnsOnly, overlay + ": " + policy.getMetadata().getName()
                            + " lets pods reach other namespaces beyond DNS");
                }
            }
        }
    }

    private void checkPod(String what, HasMetadata owner, PodSpec pod) {
        boolean service = "service".equals(templateLabels(owner).get("app.kubernetes.io/component"));
        var podSecurity = pod.getSecurityContext();
        assertTrue(podSecurity != null && Boolean.TRUE.equals(podSecurity.getRunAsNonRoot()), what + ": runAsNonRoot");
        assertEquals("RuntimeDefault", podSecurity.getSeccompProfile() == null ? null
                : podSecurity.getSeccompProfile().getType(), what + ": seccomp profile");
        List<Container> containers = new ArrayList<>(pod.getContainers());
        if (pod.getInitContainers() != null) {
            containers.addAll(pod.getInitContainers());
        }
        for (Container c : containers) {
            String container = what + " container " + c.getName();
            checkPinned(container, c.getImage());
            var resources = c.getResources();
            assertTrue(resources != null && resources.getRequests() != null && resources.getLimits() != null
                    && resources.getRequests().keySet().containsAll(Set.of("cpu", "memory"))
                    && resources.getLimits().keySet().containsAll(Set.of("cpu", "memory")),
                    container + ": requests and limits of cpu and memory");
            var security = c.getSecurityContext();
            assertTrue(security != null && Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())
                    && Boolean.TRUE.equals(security.getReadOnlyRootFilesystem()) && security.getCapabilities() != null
                    && List.of("ALL").equals(security.getCapabilities().getDrop()),
                    container + ": no privilege escalation, read-only root, all capabilities dropped");
            boolean tmp = c.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")
                    && pod.getVolumes().stream().anyMatch(v -> v.getName().equals(m.getName()) && v.getEmptyDir() != null));
            assertTrue(tmp, container + ": an emptyDir at /tmp");
            if (service) {
                checkServiceProbes(container, c);
            } else if (!(owner instanceof Job)) {
                assertTrue(c.getReadinessProbe() != null && c.getLivenessProbe() != null, container + ": probes");
            }
        }
        if (service) {
            assertTrue(containers.get(0).getEnv().stream().anyMatch(e -> e.getName().equals("QUARKUS_HTTP_HOST")
                    && "0.0.0.0".equals(e.getValue())), what + " binds 0.0.0.0");
        }
    }

    private static void checkServiceProbes(String container, Container c) {
        Map<String, Probe> probes = new TreeMap<>();
        if (c.getStartupProbe() != null) {
            probes.put("startup", c.getStartupProbe());
        }
        if (c.getLivenessProbe() != null) {
            probes.put("liveness", c.getLivenessProbe());
        }
        if (c.getReadinessProbe() != null) {
            probes.put("readiness", c.getReadinessProbe());
        }
        assertEquals(SERVICE_PROBES.keySet(), probes.keySet(), container + ": startup, liveness and readiness probes");
        SERVICE_PROBES.forEach((kind, path) -> assertEquals(path, probes.get(kind).getHttpGet() == null ? null
                : probes.get(kind).getHttpGet().getPath(), container + ": " + kind + " probe"));
    }

    static void checkPinned(String what, String image) {
        assertTrue(image != null && image.matches("[^:@]+(:[^:/@]+)?(@sha256:[0-9a-f]{64})?"), what + ": " + image);
        String tag = image.contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "";
        assertTrue(!tag.isEmpty() && !tag.equals("latest"), what + " is not pinned by a tag: " + image);
    }

    private static java.util.Optional<PodSpec> podSpec(HasMetadata object) {
        return java.util.Optional.ofNullable(template(object)).map(PodTemplateSpec::getSpec);
    }

    private static Map<String, String> templateLabels(HasMetadata object) {
        PodTemplateSpec template = template(object);
        return template == null || template.getMetadata().getLabels() == null ? Map.of()
                : template.getMetadata().getLabels();
    }

    private static PodTemplateSpec template(HasMetadata object) {
        if (object instanceof Deployment d) {
            return d.getSpec().getTemplate();
        }
        if (object instanceof StatefulSet s) {
            return s.getSpec().getTemplate();
        }
        if (object instanceof Job j) {
            return j.getSpec().getTemplate();
        }
        return null;
    }

    /**
     * Paths of the fields the model parsed into an object's additionalProperties: a misspelt or misplaced key (the
     * API server would drop or refuse it).
     */
    private static List<String> unknownFields(Object node, String path) {
        List<String> found = new ArrayList<>();
        if (node == null || node instanceof GenericKubernetesResource) {
            return found;
        }
        if (node instanceof Iterable<?> items) {
            int i = 0;
            for (Object item : items) {
                found.addAll(unknownFields(item, path + "[" + i++ + "]"));
            }
            return found;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> found.addAll(unknownFields(v, path + "." + k)));
            return found;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return found;
        }
        for (var method : node.getClass().getMethods()) {
            if (method.getParameterCount() != 0 || !method.getName().startsWith("get")
                    || method.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                Object value = method.invoke(node);
                if (method.getName().equals("getAdditionalProperties")) {
                    ((Map<?, ?>) value).keySet().forEach(k -> found.add(path + "." + k));
                } else if (!method.getReturnType().isPrimitive()) {
                    found.addAll(unknownFields(value, path + "." + method.getName().substring(3)));
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(method.toString(), e);
            }
        }
        return found;
    }

    static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type, String name) {
        return all(objects, type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    /** {@code kubectl kustomize} of an overlay (or the base), parsed document by document. */
    static List<HasMetadata> render(String overlay) throws IOException, InterruptedException {
        Path root = repositoryRoot();
        Path dir;
        if (overlay.equals("base")) {
            dir = root.resolve(BASE);
        } else if (overlay.equals(STRIMZI)) {
            // The component as a user enables it in the production overlay, without editing the tracked file.
            dir = root.resolve("scheduler-service/target/kustomize-strimzi");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("kustomization.yaml"), """
                    apiVersion: kustomize.config.k8s.io/v1beta1
                    kind: Kustomization
                    namespace: savepoint
                    resources: [../../../deploy/kubernetes/overlays/production]
                    components: [../../../deploy/kubernetes/components/strimzi]
                    """);
        } else {
            dir = root.resolve("deploy/kubernetes/overlays").resolve(overlay);
        }
        Process kubectl;
        try {
            kubectl = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new AssertionError("kubectl is needed to render deploy/kubernetes (Debian: apt-get install kubectl;"
                    + " .ci/run installs it): " + e.getMessage(), e);
        }
        var err = kubectl.getErrorStream();
        String yaml = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = new String(err.readAllBytes(), StandardCharsets.UTF_8);
        if (!kubectl.waitFor(60, TimeUnit.SECONDS) || kubectl.exitValue() != 0) {
            fail("kubectl kustomize " + dir + " failed: " + errors);
        }
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---$")) {
            if (!doc.isBlank()) {
                objects.add(serialization.unmarshal(doc, HasMetadata.class));
            }
        }
        return objects;
    }

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        return Stream.iterate(dir, p -> p != null, Path::getParent).filter(p -> Files.isDirectory(
                p.resolve("deploy/kubernetes"))).findFirst().orElseThrow(() -> new AssertionError(
                        "no deploy/kubernetes above " + dir));
    }
}
