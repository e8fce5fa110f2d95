package dev.savepoint.stack;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** An S3-compatible server that checks request signatures (S3Proxy, filesystem backend); the bucket made on start. */
final class S3Server implements StackPart {

    private final StackSettings settings;
    private final ManagedProcess process;
    private final Path dir;

    S3Server(StackSettings settings) {
        this.settings = settings;
        this.process = new ManagedProcess("s3", settings);
        this.dir = settings.root().resolve("s3");
    }

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public String address() {
        return settings.s3Endpoint() + " (bucket " + settings.bucket() + ")";
    }

    @Override
    public List<Integer> ports() {
        return List.of(settings.s3Port());
    }

    @Override
    public boolean isUp() {
        return Ports.listening(settings.host(), settings.s3Port());
    }

    @Override
    public boolean isManaged() {
        return process.running().isPresent();
    }

    @Override
    public void start() {
        Path config = writeConfig();
        process.start(List.of(Classpaths.javaExecutable(), "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC",
                "-jar", Classpaths.singleJar("s3proxy.classpath").toString(), "--properties", config.toString()),
                dir, Map.of());
        if (!Ports.await(Ports.STARTUP_DEADLINE, () -> process.running().isPresent() && isUp())) {
            throw new StackException("S3Proxy did not start on " + settings.s3Endpoint() + "; last log lines:\n"
                    + process.logTail(20));
        }
        createBucket();
    }

    @Override
    public boolean stop() {
        return process.stop("TERM", Duration.ofSeconds(10));
    }

    /** Writes S3Proxy's configuration, which holds the S3 credential: readable by its owner only. */
    Path writeConfig() {
        Properties p = new Properties();
        p.setProperty("s3proxy.endpoint", settings.s3Endpoint());
        p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        p.setProperty("s3proxy.identity", settings.s3AccessKey());
        p.setProperty("s3proxy.credential", settings.s3SecretKey());
        p.setProperty("jclouds.provider", "filesystem-nio2");
        p.setProperty("jclouds.filesystem.basedir", dir.resolve("data").toString());
        try {
            Files.createDirectories(dir.resolve("data"));
        } catch (IOException e) {
            throw new StackException("cannot create the S3 data folder under " + dir + ": " + e.getMessage(), e);
        }
        return Classpaths.writeProperties(dir.resolve("s3proxy.properties"), p);
    }

    private void createBucket() {
        MinioClient client = MinioClient.builder().endpoint(settings.s3Endpoint())
                .credentials(settings.s3AccessKey(), settings.s3SecretKey()).build();
        try {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(settings.bucket()).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(settings.bucket()).build());
            }
        } catch (Exception e) {
            throw new StackException("S3Proxy is up but creating bucket '" + settings.bucket() + "' failed: " + e, e);
        }
    }
}
