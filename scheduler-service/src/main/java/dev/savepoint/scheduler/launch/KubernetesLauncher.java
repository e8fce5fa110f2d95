package dev.savepoint.scheduler.launch;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.events.AttemptFailed;
import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.contracts.EventSignatures;
import dev.savepoint.contracts.runtime.AttemptEnvironment;
import dev.savepoint.scheduler.config.SchedulerConfig;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Launches each attempt as a batch/v1 Job named {@code {run}-{attempt}}, rendered by {@link AttemptJob} from the Job
 * template (deploy/kubernetes/base/attempt-job.yaml; backoffLimit 0: restarts are the scheduler's decision, not
 * Kubernetes'): the runner image in attempt mode for a
 * built-in run, the user's image with a restore init container and a watch sidecar for a command run; the runner
 * containers get the attempt environment (contracts' AttemptEnvironment: endpoints, bucket, determinism; S3
 * credentials as Secret references) and the trainer the resources of the run spec. Creating a Job that exists already
 * is a no-op.
 */
public class KubernetesLauncher implements Launcher, AutoCloseable {

    public static final String RUN_LABEL = "savepoint.dev/run";
    public static final String ATTEMPT_LABEL = "savepoint.dev/attempt";
    public static final String RUN_ID_ANNOTATION = "savepoint.dev/run-id";
    public static final String REPORTED_ANNOTATION = "savepoint.dev/failure-reported";

    private final KubernetesClient client;
    private final SchedulerConfig.Kubernetes config;
    private final AttemptJob attemptJob;
    private final KubernetesJobWatcher watcher;
    private final EventSignatures signatures;
    /** Launches refused before any Job was created, reported once by {@link #unreportedFailures()}. */
    private final Map<String, AttemptFailed> refused = new LinkedHashMap<>();
    private volatile Runnable signal = () -> { };

    public KubernetesLauncher(KubernetesClient client, SchedulerConfig.Kubernetes config, AttemptEnvironment env,
            EventSignatures signatures) {
        this.client = client;
        this.signatures = signatures;
        this.config = config;
        this.attemptJob = new AttemptJob(config, envVars(env), JobTemplate.load(config.jobTemplate()));
        this.watcher = new KubernetesJobWatcher(client, namespace());
    }

    /** Starts watching the attempt Jobs and their pods (the informers of {@link KubernetesJobWatcher}). */
    public KubernetesLauncher start() {
        watcher.start();
        return this;
    }

    /** Whether the watch has listed the Jobs and pods that exist. */
    public boolean watching() {
        return watcher.synced();
    }

    @Override
    public void close() {
        watcher.close();
    }

    /**
     * The environment of every attempt Job: endpoints as the pods reach them, credentials from {@code s3-secret}.
     *
     * @param kafkaBootstrap  this service's Kafka, used when the pods have no address of their own for it
     * @param checkpointUrl   checkpoint-service as this service (and so the cluster) reaches it
     */
    public static AttemptEnvironment environment(SchedulerConfig.Kubernetes config, String kafkaBootstrap,
            String checkpointUrl) {
        String s3 = config.s3Endpoint().filter(e -> !e.isBlank()).orElseThrow(() -> new IllegalStateException(
                "savepoint.scheduler.kubernetes.s3-endpoint is not set: with the kubernetes launcher, set "
                        + "SAVEPOINT_SCHEDULER_KUBERNETES_S3_ENDPOINT to the S3 endpoint attempt pods reach, e.g. "
                        + "http://minio:9000"));
        return AttemptEnvironment.withSecret(new AttemptEnvironment.Endpoints(
                config.kafkaBootstrap().orElse(kafkaBootstrap), checkpointUrl, s3, config.s3Bucket()),
                config.s3Secret());
    }

    /** Signals a watch event that may end an attempt, and a refused launch. */
    @Override
    public void onFailures(Runnable signal) {
        this.signal = signal;
        watcher.onChange(signal);
    }

    @Override
    public List<AttemptFailed> unreportedFailures() {
        List<AttemptFailed> failures = new ArrayList<>();
        synchronized (refused) {
            failures.addAll(refused.values());
            refused.clear();
        }
        failures.addAll(watcher.newFailures());
        return failures;
    }

    /** A DNS-1123 name of at most 63 characters that still ends with the attempt number. */
    public static String jobName(String runId, int attempt) {
        String suffix = "-" + attempt;
        String base = runId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+", "");
        base = base.substring(0, Math.min(base.length(), 63 - suffix.length())).replaceAll("-+$", "");
        return base + suffix;
    }

    @Override
    public void launch(LaunchAttempt command) {
        String name = jobName(command.runId(), command.attempt());
        if (jobs().withName(name).get() != null) {
            return; // launched before: a repeated command starts nothing
        }
        if (command.spec().isCommand() && command.spec().trainer().image() == null) {
            refuse(name, command, "trainer.image is required for a command run with the kubernetes launcher: set it "
                    + "to the container image that holds the training command and its Python environment, e.g. "
                    + "\"python:3.11-slim\" with the script in it");
            return;
        }
        Job job = job(name, command);
        Map<String, String> labels = job.getMetadata().getLabels(); // the template's, on all three objects
        client.configMaps().inNamespace(namespace()).resource(new ConfigMapBuilder().withNewMetadata()
                .withName(name + "-spec").addToLabels(labels).endMetadata()
                .addToData("spec.json", Json.writeString(command.spec())).build()).createOr(existing -> existing.update());
        // The attempt's own secret, to sign its events with (contracts' EventSignatures): in a Secret of its own,
        // never in the Job's spec, and never the services' key.
        client.secrets().inNamespace(namespace()).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName(AttemptJob.secretName(name)).addToLabels(labels)
                .endMetadata().addToStringData(AttemptJob.ATTEMPT_SECRET_KEY,
                        signatures.attemptSecret(command.runId(), command.attempt())).build())
                .createOr(existing -> existing.update());
        try {
            jobs().resource(job).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 422) {
                throw e; // the API server is away or busy: the dispatcher retries on its next tick
            }
            refuse(name, command, "the Kubernetes API server refuses the attempt's Job " + name + " as invalid: "
                    + e.getMessage());
        }
    }

    /**
     * The attempt's pod phase: Pending or Running is ALIVE, Succeeded or Failed GONE; without a pod, a finished or
     * absent Job is GONE and an unfinished one ALIVE (its pod is about to be created); an API error is UNKNOWN.
     */
    @Override
    public Liveness probe(String runId, int attempt, String supervisorUrl) {
        String name = jobName(runId, attempt);
        try {
            List<Pod> pods = client.pods().inNamespace(namespace()).withLabel("job-name", name).list().getItems();
            List<String> phases = new ArrayList<>();
            for (Pod pod : pods) {
                String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
                String what = "pod " + pod.getMetadata().getName() + " is " + (phase == null ? "Pending" : phase);
                if (phase == null || phase.equals("Pending") || phase.equals("Running") || phase.equals("Unknown")) {
                    return Liveness.alive(what);
                }
                phases.add(what);
            }
            if (!phases.isEmpty()) {
                return Liveness.gone(String.join(", ", phases));
            }
            Job job = jobs().withName(name).get();
            if (job == null) {
                return Liveness.gone("Job " + name + " and its pod no longer exist");
            }
            var status = job.getStatus();
            boolean finished = status != null && ((status.getSucceeded() != null && status.getSucceeded() > 0)
                    || (status.getFailed() != null && status.getFailed() > 0) || status.getCompletionTime() != null);
            return finished ? Liveness.gone("Job " + name + " finished and has no pod")
                    : Liveness.alive("Job " + name + " has not finished; its pod is not created yet");
        } catch (KubernetesClientException e) {
            return Liveness.unknown("the Kubernetes API did not answer about Job " + name + ": " + e.getMessage());
        }
    }

    @Override
    public void cancel(String runId, int attempt, String reason) {
        // Deleting the Job deletes its pod gracefully: SIGTERM, then SIGKILL after the grace period its pod has (a
        // command run's is longer: its sidecar uploads the trainer's last state after the trainer ended).
        Job job = jobs().withName(jobName(runId, attempt)).get();
        Long grace = job == null ? null : job.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        jobs().withName(jobName(runId, attempt)).withGracePeriod(grace == null ? config.terminationGraceSeconds() : grace)
                .delete();
    }

    /**
     * A Job that cannot be built or that the API server rejects as invalid (422) fails the attempt as INVALID_SPEC,
     * permanent, so the run gives up at once with a message naming the cause instead of spending its restarts. A
     * command run on Kubernetes needs the image its command runs in (the runner image is no default: it has no
     * Python, nor the user's code).
     */
    private void refuse(String name, LaunchAttempt command, String why) {
        AttemptFailed failure = AttemptFailed.of(command.runId(), command.attempt(), FailureReason.INVALID_SPEC, why,
                null, null, null, "kubernetes", null);
        synchronized (refused) {
            refused.putIfAbsent(name, failure);
        }
        signal.run();
    }

    Job job(String name, LaunchAttempt command) {
        return attemptJob.build(name, command);
    }

    static List<EnvVar> envVars(AttemptEnvironment attempt) {
        List<EnvVar> env = new ArrayList<>();
        attempt.values().forEach((name, value) -> env.add(new EnvVar(name, value, null)));
        attempt.secretRefs().forEach((name, ref) -> env.add(new EnvVarBuilder().withName(name).withNewValueFrom()
                .withNewSecretKeyRef(ref.key(), ref.secret(), ref.optional()).endValueFrom().build()));
        return List.copyOf(env);
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<Job, io.fabric8.kubernetes.api.model.batch.v1.JobList,
            io.fabric8.kubernetes.client.dsl.ScalableResource<Job>> jobs() {
        return client.batch().v1().jobs().inNamespace(namespace());
    }

    private String namespace() {
        return config.namespace().orElseGet(() -> client.getNamespace() == null ? "default" : client.getNamespace());
    }
}
