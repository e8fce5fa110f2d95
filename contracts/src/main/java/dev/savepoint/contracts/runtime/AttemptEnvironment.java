package dev.savepoint.contracts.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The environment of an attempt process, built here once for both launchers: trainer-service's child JVM gets the S3
 * credentials as values, scheduler-service's Kubernetes Job gets them as references to a Secret (never literal).
 *
 * @param values     variables with their values: endpoints, bucket and the determinism settings (and the
 *                   credentials, for a local child process only)
 * @param secretRefs variables whose values a Kubernetes Secret holds
 */
public record AttemptEnvironment(Map<String, String> values, Map<String, SecretRef> secretRefs) {

    public static final String KAFKA_BOOTSTRAP = "SAVEPOINT_KAFKA_BOOTSTRAP";
    public static final String CHECKPOINT_URL = "SAVEPOINT_CHECKPOINT_URL";
    public static final String S3_ENDPOINT = "SAVEPOINT_S3_ENDPOINT";
    public static final String S3_BUCKET = "SAVEPOINT_S3_BUCKET";
    public static final String S3_ACCESS_KEY = "SAVEPOINT_S3_ACCESS_KEY";
    public static final String S3_SECRET_KEY = "SAVEPOINT_S3_SECRET_KEY";
    /**
     * The attempt's API token (role trainer) for checkpoint-service: leases and corrupt reports need one. A local
     * child process gets its launcher's service token; a Kubernetes Job gets it from the Secret.
     */
    public static final String API_TOKEN = "SAVEPOINT_API_TOKEN";
    /**
     * The base URL of the trainer-service that started the attempt as its child process and answers
     * {@code GET /api/attempts/{runId}/{attempt}} about it; the attempt puts it in {@code AttemptStarted.supervisorUrl}
     * so that the scheduler asks there before it declares the attempt dead. Absent in a Kubernetes Job: no service
     * supervises it, the pod's phase answers instead.
     */
    public static final String SUPERVISOR_URL = "SAVEPOINT_SUPERVISOR_URL";
    /** Tensor bytes above which a checkpoint's tensor files are sharded (trainer-runner's TransferSettings). */
    public static final String CHECKPOINT_SHARD_SIZE = "SAVEPOINT_CHECKPOINT_SHARD_SIZE";
    /** Bytes of one multipart part and one ranged GET of checkpoint files. */
    public static final String CHECKPOINT_PART_SIZE = "SAVEPOINT_CHECKPOINT_PART_SIZE";
    /** Parts in flight at once per checkpoint file. */
    public static final String CHECKPOINT_PARALLELISM = "SAVEPOINT_CHECKPOINT_PARALLELISM";
    /**
     * The attempt's own secret, derived from the services' event key by contracts' EventSignatures: it signs every
     * event the attempt sends, and only events of its run and attempt number verify with it. The attempt never gets
     * the key itself.
     */
    public static final String ATTEMPT_SECRET = "SAVEPOINT_ATTEMPT_SECRET";
    /**
     * The Kafka user of attempts ({@code attempt} on the local stack: it may write savepoint.runs and
     * savepoint.checkpoints, nothing else) and its password, read by contracts' KafkaClientAuth. A local child process
     * gets the values its launcher was configured with (never the launcher's own user); a Kubernetes Job gets them from
     * the Secret, optional there: a cluster whose Kafka does not use SASL leaves them out.
     */
    public static final String KAFKA_USER = dev.savepoint.contracts.KafkaClientAuth.USER_ENV;
    public static final String KAFKA_PASSWORD = dev.savepoint.contracts.KafkaClientAuth.PASSWORD_ENV;

    /**
     * Native determinism, read by MKL and PyTorch when they load, so it must be in the environment before the attempt
     * JVM starts. Plain {@code MKL_CBWR=AVX2} is not enough: a 256-wide GEMM then still sums in a thread-count
     * dependent order; {@code STRICT} fixes that (measured on DJL 0.36 / torch 2.7.1). The one definition: launchers,
     * the trainer image and {@code ./savepoint attempt} all take it from here.
     */
    public static final Map<String, String> DETERMINISM = ordered(
            "MKL_CBWR", "AVX2,STRICT",
            "ATEN_CPU_CAPABILITY", "avx2");

    public AttemptEnvironment {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        secretRefs = Collections.unmodifiableMap(new LinkedHashMap<>(secretRefs));
    }

    /** Where an attempt sends its events and checkpoints, as its launcher reaches them from where the attempt runs. */
    public record Endpoints(String kafkaBootstrap, String checkpointServiceUrl, String s3Endpoint, String s3Bucket) {
    }

    /** One key of a Kubernetes Secret; an optional one may be missing from it (the variable is then unset). */
    public record SecretRef(String secret, String key, boolean optional) {
        public SecretRef(String secret, String key) {
            this(secret, key, false);
        }
    }

    /** For a process on this machine: everything, the credentials included, as plain values. */
    public static AttemptEnvironment withCredentials(Endpoints endpoints, String s3AccessKey, String s3SecretKey) {
        Map<String, String> values = base(endpoints);
        values.put(S3_ACCESS_KEY, s3AccessKey);
        values.put(S3_SECRET_KEY, s3SecretKey);
        return new AttemptEnvironment(values, Map.of());
    }

    /**
     * For a Kubernetes Job: the credentials by reference to {@code secret}, under the keys {@link #secretKeyOf} names
     * ({@code savepoint-s3-access-key}, {@code savepoint-s3-secret-key}, {@code savepoint-api-token}, and the optional
     * {@code savepoint-kafka-user} and {@code savepoint-kafka-password}).
     */
    public static AttemptEnvironment withSecret(Endpoints endpoints, String secret) {
        Map<String, SecretRef> refs = new LinkedHashMap<>();
        for (String name : new String[] {S3_ACCESS_KEY, S3_SECRET_KEY, API_TOKEN}) {
            refs.put(name, new SecretRef(secret, secretKeyOf(name)));
        }
        for (String name : new String[] {KAFKA_USER, KAFKA_PASSWORD}) {
            refs.put(name, new SecretRef(secret, secretKeyOf(name), true));
        }
        return new AttemptEnvironment(base(endpoints), refs);
    }

    /** The Secret key of a variable: {@code SAVEPOINT_S3_ACCESS_KEY} -> {@code savepoint-s3-access-key}. */
    public static String secretKeyOf(String variable) {
        return variable.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The same environment plus {@link #API_TOKEN} when {@code token} is given (a local child process). */
    public AttemptEnvironment withApiToken(java.util.Optional<String> token) {
        if (token.filter(t -> !t.isBlank()).isEmpty()) {
            return this;
        }
        Map<String, String> more = new LinkedHashMap<>(values);
        more.put(API_TOKEN, token.get());
        return new AttemptEnvironment(more, secretRefs);
    }

    /**
     * The same environment plus {@link #KAFKA_USER} and {@link #KAFKA_PASSWORD} when {@code user} is given (a local
     * child process: the attempts' user its launcher was configured with, never the launcher's own).
     */
    public AttemptEnvironment withKafkaUser(java.util.Optional<String> user, java.util.Optional<String> password) {
        if (user.filter(u -> !u.isBlank()).isEmpty()) {
            return this;
        }
        if (password.filter(p -> !p.isBlank()).isEmpty()) {
            throw new IllegalArgumentException("the attempts' Kafka user '" + user.get() + "' has no password: "
                    + "configure the password of the attempts' Kafka user as well");
        }
        Map<String, String> more = new LinkedHashMap<>(values);
        more.put(KAFKA_USER, user.get().trim());
        more.put(KAFKA_PASSWORD, password.get());
        return new AttemptEnvironment(more, secretRefs);
    }

    /** The same environment plus {@link #SUPERVISOR_URL}: the launcher that supervises the attempt and answers for it. */
    public AttemptEnvironment supervisedBy(String supervisorUrl) {
        if (supervisorUrl == null || supervisorUrl.isBlank()) {
            throw new IllegalArgumentException("the attempt environment variable " + SUPERVISOR_URL + " has no "
                    + "value: configure the URL at which the supervising trainer-service is reached");
        }
        Map<String, String> more = new LinkedHashMap<>(values);
        more.put(SUPERVISOR_URL, supervisorUrl);
        return new AttemptEnvironment(more, secretRefs);
    }

    /** The same environment plus how checkpoint files are sharded and moved (shard size, part size, parallelism). */
    public AttemptEnvironment withCheckpointTransfer(long shardSize, long partSize, int parallelism) {
        Map<String, String> more = new LinkedHashMap<>(values);
        more.put(CHECKPOINT_SHARD_SIZE, Long.toString(shardSize));
        more.put(CHECKPOINT_PART_SIZE, Long.toString(partSize));
        more.put(CHECKPOINT_PARALLELISM, Integer.toString(parallelism));
        return new AttemptEnvironment(more, secretRefs);
    }

    /** The same environment plus {@link #ATTEMPT_SECRET}, the secret of the one attempt it is for. */
    public AttemptEnvironment signingWith(String attemptSecret) {
        if (attemptSecret == null || attemptSecret.isBlank()) {
            throw new IllegalArgumentException("the attempt environment variable " + ATTEMPT_SECRET + " has no value");
        }
        Map<String, String> more = new LinkedHashMap<>(values);
        more.put(ATTEMPT_SECRET, attemptSecret);
        return new AttemptEnvironment(more, secretRefs);
    }

    /** The environment of a local child process; one that needs a Secret cannot be one. */
    public Map<String, String> processEnvironment() {
        if (!secretRefs.isEmpty()) {
            throw new IllegalStateException("variables " + secretRefs.keySet() + " come from a Kubernetes Secret, "
                    + "which a local process cannot read: build the environment with withCredentials");
        }
        return values;
    }

    private static Map<String, String> base(Endpoints endpoints) {
        Map<String, String> values = new LinkedHashMap<>(DETERMINISM);
        values.put(KAFKA_BOOTSTRAP, endpoints.kafkaBootstrap());
        values.put(CHECKPOINT_URL, endpoints.checkpointServiceUrl());
        values.put(S3_ENDPOINT, endpoints.s3Endpoint());
        values.put(S3_BUCKET, endpoints.s3Bucket());
        values.forEach((name, value) -> {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("the attempt environment variable " + name + " has no value: "
                        + "configure where attempts reach it");
            }
        });
        return values;
    }

    private static Map<String, String> ordered(String... namesAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    /** Prints the determinism settings as {@code NAME=value} lines, for shell entry points (image, ./savepoint). */
    public static void main(String[] args) {
        DETERMINISM.forEach((name, value) -> System.out.println(name + "=" + value));
    }
}
