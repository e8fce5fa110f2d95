package dev.savepoint.contracts.spec;

/**
 * How an attempt process runs: intra-op threads of the engine, heartbeat period, and the resources a
 * Kubernetes Job asks for.
 */
public record RuntimeSpec(Integer intraOpThreads, Integer heartbeatMillis, String cpu, String memory) {

    public RuntimeSpec {
        intraOpThreads = intraOpThreads == null ? 1 : intraOpThreads;
        heartbeatMillis = heartbeatMillis == null ? 1000 : heartbeatMillis;
        cpu = cpu == null ? "1" : cpu;
        memory = memory == null ? "2Gi" : memory;
    }

    public static RuntimeSpec defaults() {
        return new RuntimeSpec(null, null, null, null);
    }
}
