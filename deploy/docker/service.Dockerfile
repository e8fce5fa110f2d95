# One image per Quarkus service: docker build -f deploy/docker/service.Dockerfile --build-arg SERVICE=scheduler-service .
# (trainer-service, which also needs the runner folder, has trainer-service.Dockerfile)
# (after mvn -DskipTests package). JVM mode, the fast-jar layout Quarkus builds in target/quarkus-app.
FROM eclipse-temurin:17-jre
ARG SERVICE
WORKDIR /app
COPY ${SERVICE}/target/quarkus-app/lib/ lib/
COPY ${SERVICE}/target/quarkus-app/*.jar ./
COPY ${SERVICE}/target/quarkus-app/app/ app/
COPY ${SERVICE}/target/quarkus-app/quarkus/ quarkus/
USER 1001
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/quarkus-run.jar"]
