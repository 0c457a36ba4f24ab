package dev.modelgate.server.rollout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop client load on one service for the rollout ITs: a few threads send inference
 * requests back to back until stopped, counting answers by status and by the revision that
 * answered, so a test can assert that no client request failed while the rollout moved traffic.
 */
public final class Load implements AutoCloseable {
    private static final String BODY =
            "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[1.0,2.0]}]}";

    private final ExecutorService threads;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> revisions = new ConcurrentHashMap<>();
    private final AtomicLong failures = new AtomicLong();

    private Load(URI uri, int clients, String body) {
        threads = Executors.newFixedThreadPool(clients);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < clients; i++) {
            threads.execute(() -> {
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                while (running.get()) {
                    try {
                        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                        statuses.computeIfAbsent(response.statusCode(), s -> new AtomicLong()).incrementAndGet();
                        response.headers().firstValue("x-modelgate-revision").ifPresent(revision ->
                                revisions.computeIfAbsent(revision, r -> new AtomicLong()).incrementAndGet());
                    } catch (Exception e) {
                        if (running.get()) {
                            failures.incrementAndGet();
                        }
                    }
                }
            });
        }
    }

    /** Load with the fake runtime's two-feature request. */
    public static Load on(int httpPort, String service, int clients) {
        return on(httpPort, service, clients, BODY);
    }

    public static Load on(int httpPort, String service, int clients, String body) {
        return new Load(URI.create("http://127.0.0.1:" + httpPort + "/v2/models/" + service + "/infer"),
                clients, body);
    }

    long answered(int status) {
        AtomicLong count = statuses.get(status);
        return count == null ? 0 : count.get();
    }

    long byRevision(String revision) {
        AtomicLong count = revisions.get(revision);
        return count == null ? 0 : count.get();
    }

    /** Answers other than 200, plus requests that got no answer at all. */
    public long failed() {
        long failed = failures.get();
        for (Map.Entry<Integer, AtomicLong> entry : statuses.entrySet()) {
            if (entry.getKey() != 200) {
                failed += entry.getValue().get();
            }
        }
        return failed;
    }

    public Map<Integer, AtomicLong> statuses() {
        return statuses;
    }

    @Override
    public void close() {
        running.set(false);
        threads.shutdown();
        try {
            threads.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
