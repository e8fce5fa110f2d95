package dev.savepoint.stack;

import java.io.PrintStream;

/** {@code ./savepoint demo}: the main job on the local stack. */
final class Demo {

    private Demo() {
    }

    static int run(LocalStack stack, PrintStream out) {
        out.println();
        out.println("Savepoint is up: Kafka " + stack.settings().kafkaBootstrap() + ", S3 " + stack.settings().s3Endpoint()
                + ", services on 8081-8083.");
        out.println("Still to come: submitting a demo run, killing its attempts and resuming them (scheduler issue).");
        return 0;
    }
}
