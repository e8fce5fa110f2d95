# The trainer image: the attempt runner (DJL + PyTorch CPU) that Kubernetes Jobs run in attempt mode:
#   args: attempt --run ID --attempt N --spec FILE [--resume-from CHECKPOINT_ID|latest]
# Build after: mvn -DskipTests package && mvn -pl trainer-runner dependency:copy-dependencies -DincludeScope=runtime
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY trainer-runner/target/dependency/ lib/
COPY trainer-runner/target/trainer-runner-*.jar lib/
COPY deploy/docker/attempt-entrypoint.sh /app/entrypoint.sh
# Native determinism: results independent of the thread count on the same CPU family (exact resume).
ENV MKL_CBWR=AVX2,STRICT ATEN_CPU_CAPABILITY=avx2 DJL_CACHE_DIR=/tmp/djl
USER 1001
ENTRYPOINT ["/app/entrypoint.sh"]
