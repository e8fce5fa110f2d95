package dev.savepoint.scheduler.launch;

import dev.savepoint.contracts.events.AttemptExit;
import dev.savepoint.contracts.events.AttemptFailed;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Watches the attempt Jobs and their pods with two fabric8 informers (a list, then a watch, in the launcher's
 * namespace, on the run label) and turns what the cluster did to an attempt into a failure event, once
 * ({@link ClusterOutcome} classifies). The informers' handlers only note which Jobs changed and signal it
 * ({@link #onChange}); {@link #newFailures} judges those from the informers' caches, with no API call but the one marking a Job reported: the annotation
 * {@value KubernetesLauncher#REPORTED_ANNOTATION}, a merge patch conditional on the Job's resourceVersion, so a
 * scheduler that restarts, or a second replica, does not report it again. A Job deleted before it finished is known
 * only to this process (its object is gone); one deleted while no scheduler watched is the lease's to find.
 */
public class KubernetesJobWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KubernetesJobWatcher.class);
    private static final String BY_JOB = "job";

    private final KubernetesClient client;
    private final String namespace;
    private final SharedIndexInformer<Job> jobs;
    private final SharedIndexInformer<Pod> pods;
    /** Jobs to judge: changed since they were last judged (themselves or one of their pods). */
    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    /** The last state of Jobs deleted before they finished, until their failure is reported. */
    private final Map<String, Job> deleted = new ConcurrentHashMap<>();
    /** Jobs this process reported, until they are deleted (the annotation may not be in the cache yet). */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    /** Called after each noted change: the scheduler then asks {@link #newFailures} at once, not on its next tick. */
    private volatile Runnable signal = () -> { };

    public KubernetesJobWatcher(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        this.jobs = client.batch().v1().jobs().inNamespace(namespace).withLabel(KubernetesLauncher.RUN_LABEL)
                .runnableInformer(0);
        this.pods = client.pods().inNamespace(namespace).withLabel(KubernetesLauncher.RUN_LABEL).runnableInformer(0);
        pods.addIndexers(Map.of(BY_JOB, pod -> List.of(jobOf(pod))));
        jobs.addEventHandler(handler(job -> changed(job.getMetadata().getName()), this::jobDeleted));
        pods.addEventHandler(handler(pod -> changed(jobOf(pod)), pod -> changed(jobOf(pod))));
    }

    /**
     * Registers what to call when a Job may have a new verdict (on an informer's thread, after its cache took the
     * change: the signal must return at once and may call {@link #newFailures} from elsewhere).
     */
    public void onChange(Runnable signal) {
        this.signal = java.util.Objects.requireNonNull(signal, "signal");
    }

    private void changed(String job) {
        changed.add(job);
        signal.run();
    }

    /** Starts both informers; returns at once (they list, then watch, and retry on their own). */
    public void start() {
        jobs.start();
        pods.start();
    }

    /** Whether both informers have listed what exists (their caches hold it). */
    public boolean synced() {
        return jobs.hasSynced() && pods.hasSynced();
    }

    /** Failures not reported yet; each Job is marked reported before its failure is returned. */
    public synchronized List<AttemptFailed> newFailures() {
        List<AttemptFailed> failures = new ArrayList<>();
        for (String name : List.copyOf(changed)) {
            changed.remove(name);
            Job gone = deleted.get(name);
            Job job = gone != null ? gone : jobs.getStore().getByKey(namespace + "/" + name);
            if (job == null || reported.contains(name) || isAnnotated(job) || ClusterOutcome.succeeded(job)) {
                deleted.remove(name);
                continue;
            }
            Optional<ClusterOutcome.Verdict> verdict = ClusterOutcome.of(job, pods.getIndexer().byIndex(BY_JOB, name),
                    gone != null);
            if (verdict.isPresent() && (gone != null || markReported(job))) {
                reported.add(name);
                deleted.remove(name);
                failures.add(failure(job, verdict.get()));
                if (verdict.get().deleteJob()) {
                    deleteJob(name);
                }
            }
        }
        return failures;
    }

    private void jobDeleted(Job job) {
        String name = job.getMetadata().getName();
        if (reported.remove(name) || isAnnotated(job) || ClusterOutcome.succeeded(job)) {
            return;
        }
        deleted.put(name, job);
        changed(name);
    }

    /** Marks the Job reported unless it changed since the cache saw it (then it is judged again on its change). */
    private boolean markReported(Job job) {
        String patch = "{\"metadata\":{\"resourceVersion\":\"" + job.getMetadata().getResourceVersion()
                + "\",\"annotations\":{\"" + KubernetesLauncher.REPORTED_ANNOTATION + "\":\"true\"}}}";
        try {
            client.batch().v1().jobs().inNamespace(namespace).withName(job.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return true; // deleted meanwhile: nobody else can report it from its annotation either
            }
            if (e.getCode() != 409) {
                LOG.warnf("Job %s failed, but marking it reported failed (%s); retried on the next tick",
                        job.getMetadata().getName(), e.getMessage());
            }
            changed.add(job.getMetadata().getName());
            return false;
        }
    }

    private void deleteJob(String name) {
        try {
            client.batch().v1().jobs().inNamespace(namespace).withName(name).delete();
        } catch (KubernetesClientException e) {
            LOG.warnf("Job %s cannot start and was reported failed, but deleting it failed: %s", name, e.getMessage());
        }
    }

    private static boolean isAnnotated(Job job) {
        var annotations = job.getMetadata().getAnnotations();
        return annotations != null && annotations.containsKey(KubernetesLauncher.REPORTED_ANNOTATION);
    }

    private static AttemptFailed failure(Job job, ClusterOutcome.Verdict verdict) {
        String runId = job.getMetadata().getAnnotations().get(KubernetesLauncher.RUN_ID_ANNOTATION);
        int attempt = Integer.parseInt(job.getMetadata().getLabels().get(KubernetesLauncher.ATTEMPT_LABEL));
        Integer exit = verdict.exitCode();
        return AttemptFailed.of(runId, attempt, verdict.reason(), verdict.message(), exit,
                exit == null ? null : AttemptExit.signalOf(exit), null, "kubernetes", null);
    }

    /** The Job a pod belongs to, from the label its Job controller sets (both spellings). */
    static String jobOf(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        if (labels == null) {
            return "";
        }
        return labels.getOrDefault("batch.kubernetes.io/job-name", labels.getOrDefault("job-name", ""));
    }

    private static <T> ResourceEventHandler<T> handler(Consumer<T> changed, Consumer<T> deleted) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                changed.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                changed.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                deleted.accept(obj);
            }
        };
    }

    @Override
    public void close() {
        jobs.close();
        pods.close();
    }
}
