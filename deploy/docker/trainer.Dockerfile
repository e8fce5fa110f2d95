# The trainer image: the attempt runner (DJL + PyTorch CPU) that Kubernetes Jobs run in attempt mode:
#   args: attempt --run ID --attempt N --spec FILE [--resume-from CHECKPOINT_ID|latest]
# A command run's Job runs the user's image for the trainer and this one twice beside it, with --work /savepoint/work:
#   args: attempt restore ... (init container) and attempt watch ... (native sidecar)
# Build after: mvn -DskipTests package (it writes the relocatable runner folder trainer-runner/target/runner: lib/ with
# every runtime jar, bin/attempt, which also sets the native determinism settings from contracts' AttemptEnvironment).
# Pinned by tag (never a moving 17-jre): the JVM decides no bit of training (StrictMath), but an image must not change
# under a tag. RelocatedRunnerIT lays this image out on the build machine (the COPY below, then this ENTRYPOINT).
FROM eclipse-temurin:17.0.15_6-jre
WORKDIR /app
COPY trainer-runner/target/runner/ /app/runner/
ENV JAVA_OPTS=-XX:MaxRAMPercentage=75 DJL_CACHE_DIR=/tmp/djl
USER 1001
ENTRYPOINT ["sh", "/app/runner/bin/attempt"]
