package dev.savepoint.contracts.cluster;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The replicas of a service as another service or a client calls them: a setting of comma-separated base URLs, and
 * a send that fails over to the next URL when a replica cannot take the call (no connection, or a 502/503 answer),
 * starting from the replica that last answered. A call that may have reached a replica is never sent twice unless it
 * is a GET, HEAD, PUT or DELETE (idempotent); a timeout of a connected call is not retried (it may still be running).
 */
public final class ServiceUrls {

    private static final Set<Integer> UNAVAILABLE = Set.of(502, 503);
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE");

    private final List<String> bases;
    private final AtomicInteger preferred = new AtomicInteger();

    private ServiceUrls(List<String> bases) {
        this.bases = List.copyOf(bases);
    }

    /**
     * Parses {@code value}, one URL or several separated by commas; {@code setting} names it in the error when a URL
     * is not an absolute http(s) URL or none is given.
     */
    public static ServiceUrls parse(String setting, String value) {
        List<String> bases = new ArrayList<>();
        for (String part : (value == null ? "" : value).split(",")) {
            String url = part.strip();
            if (url.isEmpty()) {
                continue;
            }
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || uri.getHost() == null
                    || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException(setting + ": '" + url + "' is not an http(s) URL such as "
                        + "http://127.0.0.1:8082; give one or several separated by commas");
            }
            bases.add(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        }
        if (bases.isEmpty()) {
            throw new IllegalArgumentException(setting + " is empty; give the service's URL, or its replicas' URLs "
                    + "separated by commas");
        }
        return new ServiceUrls(bases);
    }

    /** The base URLs, in the order of the setting. */
    public List<String> bases() {
        return bases;
    }

    /** {@code path} (starting with {@code /}) at the replica calls go to first. */
    public URI uri(String path) {
        return URI.create(bases.get(preferred.get()) + path);
    }

    /**
     * Sends {@code request} (built with {@link #uri}) to the replicas in turn until one takes it; returns that answer,
     * or the last 502/503, or throws the last failure to connect when no replica could be reached.
     */
    public <T> HttpResponse<T> send(HttpClient http, HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        String path = pathOf(request.uri());
        int first = preferred.get();
        IOException failure = null;
        HttpResponse<T> unavailable = null;
        for (int i = 0; i < bases.size(); i++) {
            int index = (first + i) % bases.size();
            HttpRequest here = HttpRequest.newBuilder(request, (name, value) -> true)
                    .uri(URI.create(bases.get(index) + path)).build();
            try {
                HttpResponse<T> response = http.send(here, handler);
                if (!UNAVAILABLE.contains(response.statusCode())) {
                    preferred.set(index);
                    return response;
                }
                unavailable = response;
            } catch (IOException e) {
                if (!worthAnotherReplica(request, e)) {
                    throw e;
                }
                failure = e;
            }
        }
        if (unavailable != null) {
            return unavailable;
        }
        throw failure;
    }

    /** {@link #send}, without blocking: the same failover, one replica after another. */
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpClient http, HttpRequest request,
            HttpResponse.BodyHandler<T> handler) {
        String path = pathOf(request.uri());
        return sendAsync(http, request, path, handler, preferred.get(), 0, null);
    }

    private <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpClient http, HttpRequest request, String path,
            HttpResponse.BodyHandler<T> handler, int first, int tried, HttpResponse<T> unavailable) {
        int index = (first + tried) % bases.size();
        HttpRequest here = HttpRequest.newBuilder(request, (name, value) -> true)
                .uri(URI.create(bases.get(index) + path)).build();
        boolean last = tried + 1 >= bases.size();
        return http.sendAsync(here, handler).handle((response, error) -> {
            if (error == null && !UNAVAILABLE.contains(response.statusCode())) {
                preferred.set(index);
                return CompletableFuture.completedFuture(response);
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (cause != null && (last || !(cause instanceof IOException io && worthAnotherReplica(request, io)))) {
                return unavailable != null && last ? CompletableFuture.completedFuture(unavailable)
                        : CompletableFuture.<HttpResponse<T>>failedFuture(cause);
            }
            HttpResponse<T> latest = error == null ? response : unavailable;
            return last ? CompletableFuture.completedFuture(latest)
                    : sendAsync(http, request, path, handler, first, tried + 1, latest);
        }).thenCompose(f -> f);
    }

    /** Whether the call certainly did not reach the replica, or may be sent again anyway. */
    static boolean worthAnotherReplica(HttpRequest request, IOException e) {
        if (e instanceof ConnectException || e instanceof HttpConnectTimeoutException
                || e.getCause() instanceof ConnectException) {
            return true;
        }
        return !(e instanceof HttpTimeoutException) && IDEMPOTENT.contains(request.method());
    }

    private String pathOf(URI uri) {
        String full = uri.toString();
        for (String base : bases) {
            if (full.startsWith(base) && (full.length() == base.length() || "/?".indexOf(full.charAt(base.length()))
                    >= 0)) {
                return full.substring(base.length());
            }
        }
        throw new IllegalArgumentException(full + " is not at any of " + this + "; build it with uri(path)");
    }

    /** The setting's form: the base URLs separated by commas. */
    @Override
    public String toString() {
        return String.join(",", bases);
    }
}
