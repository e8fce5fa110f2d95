package dev.savepoint.trainer.runner;

import dev.savepoint.stack.ManagedProcess;
import dev.savepoint.stack.TestStack;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** The test stack's S3 server process, stopped (SIGSTOP) and continued (SIGCONT) as a real outage would be. */
final class StackS3 {

    private StackS3() {
    }

    static void stop() throws IOException, InterruptedException {
        signal("STOP");
    }

    static void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private static void signal(String signal) throws IOException, InterruptedException {
        long pid = new ManagedProcess("s3", TestStack.shared().settings()).running().orElseThrow(() ->
                new AssertionError("the S3 server was not started by this stack (no live pid in .savepoint/pids), "
                        + "so the test cannot stop it")).pid();
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + signal + " " + pid + " failed");
        }
    }
}
