package dev.savepoint.scheduler.launch;

import dev.savepoint.contracts.determinism.DeterminismMode;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.contracts.runtime.AttemptEnvironment;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.contracts.spec.RuntimeSpec;
import dev.savepoint.contracts.spec.Substitutions;
import dev.savepoint.contracts.spec.TrainerSpec;
import dev.savepoint.scheduler.config.SchedulerConfig;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An attempt's batch/v1 Job: the values of one attempt ({@link #values}) rendered into the Job template of its
 * trainer type ({@link JobTemplate}, deploy/kubernetes/base/attempt-job.yaml, which holds the Job's shape). A
 * built-in run is one container, the Savepoint runner image in attempt mode. A command run's pod runs the user's own
 * image and keeps Savepoint beside it in the runner image: a {@value #RESTORE} init container restores the newest
 * committed state into the shared work folder, a native sidecar ({@value #WATCH}, an init container with
 * {@code restartPolicy: Always}) uploads complete states and sends heartbeats, and the {@value #TRAINER} container
 * runs the command through {@link TrainerWrapper}. Only the runner containers get the attempt environment (S3
 * credentials as Secret references): the user's code never sees them, nor a service-account token.
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

    /** The key of an attempt's own Secret ({@link #secretName}) holding its event-signing secret. */
    static final String ATTEMPT_SECRET_KEY = AttemptEnvironment.secretKeyOf(AttemptEnvironment.ATTEMPT_SECRET);

    private final SchedulerConfig.Kubernetes config;
    private final List<EnvVar> env;
    private final JobTemplate template;

    /**
     * @param env      the attempt environment as container variables, given to the runner containers only
     * @param template the Job template (deploy/kubernetes/base/attempt-job.yaml) the Jobs are rendered from
     */
    AttemptJob(SchedulerConfig.Kubernetes config, List<EnvVar> env, JobTemplate template) {
        this.config = config;
        this.env = List.copyOf(env);
        this.template = template;
    }

    /** The Job named {@code name} for the attempt; its spec is read from the ConfigMap {@code name-spec}. */
    Job build(String name, LaunchAttempt command) {
        return template.render(command.spec().isCommand() ? JobTemplate.COMMAND : JobTemplate.BUILT_IN,
                values(name, command));
    }

    /** What the launcher fills into the template ({@link JobTemplate#VALUES}, described in its header). */
    Map<String, Object> values(String name, LaunchAttempt command) {
        List<EnvVar> runnerEnv = new ArrayList<>(env);
        runnerEnv.add(new EnvVarBuilder().withName(AttemptEnvironment.ATTEMPT_SECRET).withNewValueFrom()
                .withNewSecretKeyRef(ATTEMPT_SECRET_KEY, secretName(name), false).endValueFrom().build());
        Map<String, Object> values = new HashMap<>();
        values.put("name", name);
        values.put("runId", command.runId());
        values.put("runLabel", KubernetesLauncher.jobName(command.runId(), 0).replaceAll("-0$", ""));
        values.put("attempt", Integer.toString(command.attempt()));
        values.put("specConfigMap", name + "-spec");
        values.put("attemptSecret", secretName(name));
        values.put("runnerImage", config.image());
        values.put("attemptEnv", runnerEnv);
        values.put("resources", resources(command.spec().runtime()));
        values.put("serviceAccount", config.serviceAccount());
        values.put("terminationGracePeriodSeconds", graceSeconds(command));
        values.put("activeDeadlineSeconds", config.activeDeadlineSeconds().orElse(null));
        values.put("ttlSecondsAfterFinished", config.ttlSecondsAfterFinished());
        values.put("affinity", affinity(command));
        List<String> work = List.of("--work", WORK_DIR);
        values.put("attemptArgs", runnerArgs(List.of("attempt"), command, true, List.of()));
        values.put("restoreArgs", runnerArgs(List.of("attempt", RESTORE), command, true, work));
        values.put("watchArgs", runnerArgs(List.of("attempt", WATCH), command, false, work));
        if (command.spec().isCommand()) {
            TrainerSpec trainer = command.spec().trainer();
            Map<String, String> variables = new TreeMap<>(trainer.env());
            variables.put(TrainerWrapper.WORK_VARIABLE, WORK_DIR);
            values.put("trainerImage", trainer.image());
            values.put("trainerCommand", TrainerWrapper.command(argv(command)));
            values.put("trainerWorkingDir", trainer.workdir());
            values.put("trainerEnv", variables.entrySet().stream()
                    .map(e -> new EnvVar(e.getKey(), e.getValue(), null)).toList());
        }
        return values;
    }

    /**
     * Time between SIGTERM and SIGKILL: one step plus the final checkpoint ({@code termination-grace-seconds}); a
     * command run adds {@code final-upload-seconds}, since its sidecar uploads the trainer's last state only once the
     * trainer container has ended.
     */
    long graceSeconds(LaunchAttempt command) {
        return config.terminationGraceSeconds() + (command.spec().isCommand() ? config.finalUploadSeconds() : 0);
    }

    /** The attempt's own Secret: its event-signing secret ({@link #ATTEMPT_SECRET_KEY}), for its runners only. */
    static String secretName(String jobName) {
        return jobName + "-secret";
    }

    /**
     * A strict run whose checkpoints were computed on a known CPU runs on a node with that CPU (labels of
     * contracts' CpuFamily): elsewhere its resume could not be bit-exact and would fail as NOT_REPRODUCIBLE.
     */
    static Affinity affinity(LaunchAttempt command) {
        if (command.cpu() == null || !DeterminismMode.STRICT.equals(command.spec().determinism())) {
            return null;
        }
        List<NodeSelectorRequirement> match = new TreeMap<>(command.cpu().nodeLabels()).entrySet().stream()
                .map(l -> new NodeSelectorRequirement(l.getKey(), "In", List.of(l.getValue()))).toList();
        return new AffinityBuilder().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().withMatchExpressions(match).endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build();
    }

    /** The trainer's argv with the placeholders Kubernetes knows at launch time substituted. */
    static List<String> argv(LaunchAttempt command) {
        RunSpec spec = command.spec();
        return Substitutions.apply(spec.trainer().command(), Map.of("outputDir", OUTPUT_DIR, "maxSteps",
                spec.maxSteps().toString(), "runId", command.runId(), "attempt", Integer.toString(command.attempt())));
    }

    private static List<String> runnerArgs(List<String> mode, LaunchAttempt command, boolean resume,
            List<String> more) {
        List<String> args = new ArrayList<>(mode);
        args.addAll(List.of("--run", command.runId(), "--attempt", Integer.toString(command.attempt()), "--spec",
                SPEC_DIR + "/spec.json"));
        if (resume && command.resumeFromCheckpointId() != null) {
            args.addAll(List.of("--resume-from", command.resumeFromCheckpointId()));
        }
        args.addAll(more);
        return args;
    }

    private static ResourceRequirements resources(RuntimeSpec runtime) {
        Map<String, Quantity> amounts = Map.of("cpu", new Quantity(runtime.cpu()), "memory",
                new Quantity(runtime.memory()));
        return new ResourceRequirementsBuilder().withRequests(amounts).withLimits(amounts).build();
    }
}
