package dev.savepoint.stack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Port probes and deadline-bounded waits used while starting parts of the stack. */
public final class Ports {

    /**
     * How long a part of the stack may take to start: generous, because a shared 2-core machine under a full build
     * (load averages of 40 were seen) starts a broker in minutes, not seconds; a quiet one takes a few seconds.
     */
    public static final java.time.Duration STARTUP_DEADLINE = java.time.Duration.ofSeconds(180);

    private Ports() {
    }

    /** True when something accepts TCP connections on host:port. */
    public static boolean listening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when this process could bind host:port now. */
    public static boolean free(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(host, 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new StackException("no free TCP port on " + host + ": " + e.getMessage(), e);
        }
    }

    /** Polls {@code condition} every 100 ms until it holds or {@code timeout} passes; returns whether it held. */
    public static boolean await(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }
}
