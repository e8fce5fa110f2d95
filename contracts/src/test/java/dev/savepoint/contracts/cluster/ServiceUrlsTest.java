package dev.savepoint.contracts.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Failover between replicas against real HTTP servers on this machine, one of them down (a port nobody listens on). */
class ServiceUrlsTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    /** A replica answering {@code status} with its name and the path it was asked for; counts its calls. */
    private String replica(String name, int status, AtomicInteger calls) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            calls.incrementAndGet();
            byte[] body = (name + " " + exchange.getRequestURI()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        servers.add(server);
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static String down() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort(); // closed again: connections are refused
        }
    }

    private HttpResponse<String> get(ServiceUrls urls, String path) throws Exception {
        return urls.send(http, HttpRequest.newBuilder(urls.uri(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCallToAReplicaThatIsDownIsAnsweredByTheNextWhichThenComesFirst() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String up = replica("b", 200, calls);
        ServiceUrls urls = ServiceUrls.parse("url", down() + "," + up);

        HttpResponse<String> r = get(urls, "/api/runs/r1?x=1");
        assertEquals(200, r.statusCode());
        assertEquals("b /api/runs/r1?x=1", r.body(), "the same path and query at the next replica");
        assertEquals(URI.create(up + "/api/runs"), urls.uri("/api/runs"), "the replica that answered comes first");
        assertEquals("b /api/x", get(urls, "/api/x").body());
        assertEquals(2, calls.get());
    }

    @Test
    void aReplicaAnswering503Or502IsPassedOverAndAPostGoesOnToTheNext() throws Exception {
        AtomicInteger unavailable = new AtomicInteger();
        AtomicInteger badGateway = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        ServiceUrls urls = ServiceUrls.parse("url", replica("a", 503, unavailable) + ","
                + replica("b", 502, badGateway) + "," + replica("c", 201, ok));

        HttpResponse<String> r = urls.send(http, HttpRequest.newBuilder(urls.uri("/api/runs"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode());
        assertEquals("c /api/runs", r.body());
        assertEquals(List.of(1, 1, 1), List.of(unavailable.get(), badGateway.get(), ok.get()));
    }

    @Test
    void anAsynchronousCallFailsOverTheSameWay() throws Exception {
        AtomicInteger unavailable = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        ServiceUrls urls = ServiceUrls.parse("url", down() + "," + replica("b", 503, unavailable) + ","
                + replica("c", 200, ok));
        HttpResponse<String> r = urls.sendAsync(http, HttpRequest.newBuilder(urls.uri("/api/runs/r1")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("c /api/runs/r1", r.body());
        assertEquals(List.of(1, 1), List.of(unavailable.get(), ok.get()));

        ServiceUrls none = ServiceUrls.parse("url", down() + "," + down());
        java.util.concurrent.ExecutionException failed = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> none.sendAsync(http, HttpRequest.newBuilder(none.uri("/a")).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).get(30, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(failed.getCause() instanceof ConnectException, failed.toString());
    }

    @Test
    void anAnswerThatIsNotUnavailabilityIsReturnedWithoutTryingOthers() throws Exception {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        ServiceUrls urls = ServiceUrls.parse("url", replica("a", 404, first) + "," + replica("b", 200, second));
        assertEquals(404, get(urls, "/api/runs/none").statusCode());
        assertEquals(0, second.get());
    }

    @Test
    void whenEveryReplicaIsDownTheFailureToConnectIsThrownAndWhenAllAre503TheLast503IsReturned() throws Exception {
        ServiceUrls none = ServiceUrls.parse("url", down() + "," + down());
        assertThrows(ConnectException.class, () -> get(none, "/q/health"));

        AtomicInteger calls = new AtomicInteger();
        ServiceUrls busy = ServiceUrls.parse("url", replica("a", 503, calls) + "," + down());
        HttpResponse<String> r = get(busy, "/api/runs");
        assertEquals(503, r.statusCode());
        assertEquals("a /api/runs", r.body());
    }

    @Test
    void onlyACallThatNeverReachedAReplicaOrIsIdempotentIsSentAgain() {
        HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:1/a"))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:1/a")).GET().build();
        assertTrue(ServiceUrls.worthAnotherReplica(post, new ConnectException("refused")));
        assertFalse(ServiceUrls.worthAnotherReplica(post, new IOException("connection reset")),
                "a POST that may have been received is not sent twice");
        assertTrue(ServiceUrls.worthAnotherReplica(get, new IOException("connection reset")));
        assertFalse(ServiceUrls.worthAnotherReplica(get, new HttpTimeoutException("request timed out")),
                "a slow replica may still be working on it");
    }

    @Test
    void theSettingIsACommaSeparatedListOfHttpUrlsAndABadOneIsNamed() {
        ServiceUrls urls = ServiceUrls.parse("savepoint.x-url", " http://a:1/ , http://b:2,");
        assertEquals(List.of("http://a:1", "http://b:2"), urls.bases());
        assertEquals("http://a:1,http://b:2", urls.toString());

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ServiceUrls.parse("savepoint.x-url", "http://a:1,b:2"));
        assertTrue(bad.getMessage().startsWith("savepoint.x-url: 'b:2'"), bad.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServiceUrls.parse("savepoint.x-url", " , "))
                .getMessage().startsWith("savepoint.x-url is empty"));
    }
}
