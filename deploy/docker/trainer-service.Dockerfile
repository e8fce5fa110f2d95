# trainer-service as a worker image (docker-compose): the Quarkus service plus the relocatable runner folder its attempt
# processes start from. docker build -f deploy/docker/trainer-service.Dockerfile . (after mvn -DskipTests package)
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY trainer-service/target/quarkus-app/lib/ lib/
COPY trainer-service/target/quarkus-app/*.jar ./
COPY trainer-service/target/quarkus-app/app/ app/
COPY trainer-service/target/quarkus-app/quarkus/ quarkus/
COPY trainer-runner/target/runner/ runner/
# Attempt processes use the runner folder, not the build machine's Maven repository; the determinism settings come
# with every launch (contracts' AttemptEnvironment).
ENV SAVEPOINT_RUNNER_CLASS_PATH=/app/runner/lib/* DJL_CACHE_DIR=/tmp/djl
USER 1001
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/quarkus-run.jar"]
