package dev.savepoint.scheduler.launch;

import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.contracts.runtime.AttemptEnvironment;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.contracts.spec.Substitutions;
import dev.savepoint.contracts.spec.RuntimeSpec;
import dev.savepoint.contracts.spec.TrainerSpec;
import dev.savepoint.scheduler.config.SchedulerConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds an attempt's batch/v1 Job, the one place that knows its shape. A built-in run is one container, the
 * Savepoint runner image in attempt mode. A command run's pod runs the user's own image and keeps Savepoint beside it
 * in the runner image: a {@value #RESTORE} init container restores the newest committed state into the shared work
 * folder, a native sidecar ({@value #WATCH}, an init container with {@code restartPolicy: Always}) uploads complete
 * states and sends heartbeats, and the {@value #TRAINER} container runs the command through {@link TrainerWrapper}.
 * Only the runner containers get the attempt environment (S3 credentials as Secret references): the user's code never
 * sees them, nor a service-account token.
 */
final class AttemptJob {

    /** The container of a built-in run's attempt. */
    static final String ATTEMPT = "attempt";
    /** The init container that restores the resume point of a command run. */
    static final String RESTORE = "restore";
    /** The native sidecar that watches a command run's output folder. */
    static final String WATCH = "watch";
    /** The container that runs a command run's trainer in the user's image. */
    static final String TRAINER = "trainer";
    /** The work folder of a command attempt, an emptyDir shared by its three containers. */
    static final String WORK_DIR = "/savepoint/work";
    /** The trainer's output folder, {@code {outputDir}} in its command. */
    static final String OUTPUT_DIR = WORK_DIR + "/output";
    static final String SPEC_DIR = "/etc/savepoint";
    /** The value of {@code app.kubernetes.io/component} on everything of an attempt. */
    static final String COMPONENT = "attempt";

    private static final VolumeMount SPEC_MOUNT = new VolumeMountBuilder().withName("spec").withMountPath(SPEC_DIR)
            .withReadOnly(true).build();
    private static final VolumeMount WORK_MOUNT = new VolumeMountBuilder().withName("work").withMountPath(WORK_DIR)
            .build();

    /** The key of an attempt's own Secret ({@link #secretName}) holding its event-signing secret. */
    static final String ATTEMPT_SECRET_KEY = AttemptEnvironment.secretKeyOf(AttemptEnvironment.ATTEMPT_SECRET);

    private final SchedulerConfig.Kubernetes config;
    private final List<EnvVar> env;

    /** @param env the attempt environment as container variables, given to the runner containers only */
    AttemptJob(SchedulerConfig.Kubernetes config, List<EnvVar> env) {
        this.config = config;
        this.env = List.copyOf(env);
    }

    /** The Job named {@code name} for the attempt; its spec is read from the ConfigMap {@code name-spec}. */
    Job build(String name, LaunchAttempt command) {
        List<EnvVar> runnerEnv = new ArrayList<>(env);
        runnerEnv.add(new EnvVarBuilder().withName(AttemptEnvironment.ATTEMPT_SECRET).withNewValueFrom()
                .withNewSecretKeyRef(ATTEMPT_SECRET_KEY, secretName(name), false).endValueFrom().build());
        PodSpec pod = command.spec().isCommand() ? commandPod(name, command, runnerEnv)
                : builtInPod(name, command, runnerEnv);
        Map<String, String> labels = labels(command);
        return new JobBuilder().withNewMetadata().withName(name).addToLabels(labels)
                .addToAnnotations(Map.of(KubernetesLauncher.RUN_ID_ANNOTATION, command.runId())).endMetadata()
                .withNewSpec().withBackoffLimit(0).withTtlSecondsAfterFinished(config.ttlSecondsAfterFinished())
                .withNewTemplate().withNewMetadata().addToLabels(labels).endMetadata().withSpec(pod).endTemplate()
                .endSpec().build();
    }

    /** The attempt's own Secret: its event-signing secret ({@link #ATTEMPT_SECRET_KEY}), for its runners only. */
    static String secretName(String jobName) {
        return jobName + "-secret";
    }

    /**
     * The labels of an attempt's Job, pod, ConfigMap and Secret: its run (as a valid label value) and attempt number,
     * and the component {@value #COMPONENT} that the NetworkPolicies of deploy/kubernetes select attempt pods by.
     */
    static Map<String, String> labels(LaunchAttempt command) {
        return Map.of(KubernetesLauncher.RUN_LABEL, KubernetesLauncher.jobName(command.runId(), 0).replaceAll("-0$", ""),
                KubernetesLauncher.ATTEMPT_LABEL, Integer.toString(command.attempt()), "app.kubernetes.io/part-of",
                "savepoint", "app.kubernetes.io/component", COMPONENT);
    }

    private PodSpec builtInPod(String name, LaunchAttempt command, List<EnvVar> env) {
        return new PodSpecBuilder().withRestartPolicy("Never").withServiceAccountName(config.serviceAccount())
                .withTerminationGracePeriodSeconds(config.terminationGraceSeconds())
                .addToContainers(new ContainerBuilder().withName(ATTEMPT).withImage(config.image())
                        .withArgs(runnerArgs(List.of("attempt"), command, true)).withEnv(env)
                        .withResources(resources(command.spec().runtime())).withVolumeMounts(SPEC_MOUNT).build())
                .withVolumes(specVolume(name)).build();
    }

    /**
     * The grace period covers the trainer's own save on SIGTERM and then the sidecar's final upload, which starts
     * only once the trainer container has ended.
     */
    private PodSpec commandPod(String name, LaunchAttempt command, List<EnvVar> env) {
        List<String> work = List.of("--work", WORK_DIR);
        Container restore = runner(RESTORE, command, true, work, env);
        Container watch = new ContainerBuilder(runner(WATCH, command, false, work, env)).withRestartPolicy("Always").build();
        return new PodSpecBuilder().withRestartPolicy("Never").withServiceAccountName(config.serviceAccount())
                .withAutomountServiceAccountToken(false)
                .withTerminationGracePeriodSeconds(config.terminationGraceSeconds() + config.finalUploadSeconds())
                .withInitContainers(restore, watch).withContainers(trainer(command))
                .withVolumes(specVolume(name), new VolumeBuilder().withName("work").withNewEmptyDir().endEmptyDir()
                        .build())
                .build();
    }

    private Container runner(String mode, LaunchAttempt command, boolean resume, List<String> more,
            List<EnvVar> env) {
        List<String> args = new ArrayList<>(runnerArgs(List.of("attempt", mode), command, resume));
        args.addAll(more);
        return new ContainerBuilder().withName(mode).withImage(config.image()).withArgs(args).withEnv(env)
                .withVolumeMounts(SPEC_MOUNT, WORK_MOUNT).build();
    }

    private Container trainer(LaunchAttempt command) {
        TrainerSpec trainer = command.spec().trainer();
        Map<String, String> variables = new TreeMap<>(trainer.env());
        variables.put(TrainerWrapper.WORK_VARIABLE, WORK_DIR);
        List<EnvVar> trainerEnv = variables.entrySet().stream()
                .map(e -> new EnvVar(e.getKey(), e.getValue(), null)).toList();
        return new ContainerBuilder().withName(TRAINER).withImage(trainer.image())
                .withCommand(TrainerWrapper.command(argv(command))).withWorkingDir(trainer.workdir())
                .withEnv(trainerEnv).withResources(resources(command.spec().runtime())).withVolumeMounts(WORK_MOUNT)
                .build();
    }

    /** The trainer's argv with the placeholders Kubernetes knows at launch time substituted. */
    static List<String> argv(LaunchAttempt command) {
        RunSpec spec = command.spec();
        return Substitutions.apply(spec.trainer().command(), Map.of("outputDir", OUTPUT_DIR, "maxSteps",
                spec.maxSteps().toString(), "runId", command.runId(), "attempt", Integer.toString(command.attempt())));
    }

    private static List<String> runnerArgs(List<String> mode, LaunchAttempt command, boolean resume) {
        List<String> args = new ArrayList<>(mode);
        args.addAll(List.of("--run", command.runId(), "--attempt", Integer.toString(command.attempt()), "--spec",
                SPEC_DIR + "/spec.json"));
        if (resume && command.resumeFromCheckpointId() != null) {
            args.addAll(List.of("--resume-from", command.resumeFromCheckpointId()));
        }
        return args;
    }

    private static ResourceRequirements resources(RuntimeSpec runtime) {
        Map<String, Quantity> amounts = Map.of("cpu", new Quantity(runtime.cpu()), "memory",
                new Quantity(runtime.memory()));
        return new ResourceRequirementsBuilder().withRequests(amounts).withLimits(amounts).build();
    }

    private static Volume specVolume(String name) {
        return new VolumeBuilder().withName("spec").withNewConfigMap().withName(name + "-spec").endConfigMap().build();
    }
}
