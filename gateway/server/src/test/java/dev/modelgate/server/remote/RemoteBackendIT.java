package dev.modelgate.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.runtime.testkit.AffineFixture;
import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.RuntimeRegistry;
import dev.modelgate.server.runtime.RuntimeServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway in front of remote replicas on real sockets: fake replicas for fault injection and an
 * in-JVM runtime server for the mixed local/remote split.
 */
class RemoteBackendIT {
    /** Every path releases the replica's answer buffer (see {@link NettyLeaks}). */
    @RegisterExtension
    static final NettyLeaks LEAKS = new NettyLeaks();

    private static final String BODY = "{\"id\":\"%s\",\"inputs\":[{\"name\":\"" + AffineFixture.INPUT
            + "\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]}]}";

    @TempDir
    Path repo;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ExecutorService load = Executors.newFixedThreadPool(16);
    private Modelgate gateway;

    @BeforeEach
    void repository() throws Exception {
        Files.createDirectories(repo.resolve("toy"));
        Files.writeString(repo.resolve("toy/model.yaml"), "runtime: fake\ninstances: 4\n");
        FakeModelFile.writeFixture(repo.resolve("toy/1"), Duration.ZERO);
    }

    @AfterEach
    void stop() throws Exception {
        load.shutdownNow();
        if (gateway != null) {
            gateway.close();
        }
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private FakeReplica replica(FakeReplica.Mode mode, long delayMillis) throws Exception {
        FakeReplica replica = new FakeReplica(mode, delayMillis);
        closing.add(replica);
        return replica;
    }

    private static Map<String, Object> remote(String name, Map<String, Object> settings, String... urls) {
        Map<String, Object> revision = new LinkedHashMap<>(Map.of("name", name, "model", "toy",
                "version", "1", "endpoints", List.of(urls), "health-interval", "100ms"));
        revision.putAll(settings);
        return revision;
    }

    private void gateway(List<Map<String, Object>> revisions, Map<String, Integer> weights)
            throws Exception {
        Map<String, Object> service = Map.of("name", "svc", "revisions", revisions,
                "traffic", Map.of("weights", weights));
        ServerConfig config = ServerConfig.from(Map.of("model-repository", repo.toString(),
                "http-port", 0, "admin-port", 0, "bind-address", "127.0.0.1", "request-timeout", "5s",
                "services", List.of(service)), repo, "test");
        gateway = Modelgate.start(config, RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        gateway.loaded().join();
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> call("ready").statusCode() == 200);
    }

    private String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort()
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private HttpResponse<String> call(String id) throws Exception {
        String uri = "http://127.0.0.1:" + gateway.httpPort()
                + (id.equals("ready") ? "/v2/models/svc/ready" : "/v2/models/svc/infer");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10));
        request = id.equals("ready") ? request.GET()
                : request.POST(HttpRequest.BodyPublishers.ofString(String.format(BODY, id)));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> callAsync(String id) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return call(id);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, load);
    }

    @Test
    void theTraceParentReachesTheReplicaAndComesBack() throws Exception {
        FakeReplica a = replica(FakeReplica.Mode.OK, 0);
        gateway(List.of(remote("v1", Map.of(), a.url())), Map.of("v1", 100));
        String trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        HttpResponse<String> traced = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + gateway.httpPort() + "/v2/models/svc/infer")).header("traceparent", trace)
                .POST(HttpRequest.BodyPublishers.ofString(String.format(BODY, "t"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(traced.statusCode()).isEqualTo(200);
        assertThat(traced.headers().firstValue("traceparent")).hasValue(trace);
        assertThat(a.lastTraceparent).isEqualTo(trace);

        HttpResponse<String> untraced = call("u");
        String made = untraced.headers().firstValue("traceparent").orElseThrow();
        assertThat(made).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00");
        assertThat(a.lastTraceparent).isEqualTo(made);
    }

    @Test
    void balancingSpreadsLoad() throws Exception {
        FakeReplica a = replica(FakeReplica.Mode.OK, 2);
        FakeReplica b = replica(FakeReplica.Mode.OK, 2);
        FakeReplica c = replica(FakeReplica.Mode.OK, 2);
        gateway(List.of(remote("v1", Map.of(), a.url(), b.url(), c.url())), Map.of("v1", 100));
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            answers.add(callAsync("r" + i));
        }
        for (var answer : answers) {
            assertThat(answer.join().statusCode()).isEqualTo(200);
        }
        for (FakeReplica replica : List.of(a, b, c)) {
            assertThat(replica.hits.get()).isBetween(50, 150);
        }
        assertThat(answers.get(0).join().headers().firstValue("x-modelgate-revision")).hasValue("v1");
    }

    @Test
    void killingAReplicaFailsAtMostItsInFlightRequests() throws Exception {
        FakeReplica doomed = replica(FakeReplica.Mode.OK, 20);
        FakeReplica survivor = replica(FakeReplica.Mode.OK, 20);
        gateway(List.of(remote("v1", Map.of(), doomed.url(), survivor.url())), Map.of("v1", 100));
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger failedBefore = new AtomicInteger();
        AtomicInteger failedAfter = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        long end = System.nanoTime() + Duration.ofMillis(1500).toNanos();
        for (int t = 0; t < 8; t++) {
            int client = t;
            clients.add(CompletableFuture.runAsync(() -> {
                int n = 0;
                while (System.nanoTime() < end) {
                    boolean startedAfterKill = killed.get();
                    try {
                        int status = call("c" + client + "-" + n++).statusCode();
                        if (status == 200) {
                            ok.incrementAndGet();
                        } else {
                            (startedAfterKill ? failedAfter : failedBefore).incrementAndGet();
                        }
                    } catch (Exception e) {
                        (startedAfterKill ? failedAfter : failedBefore).incrementAndGet();
                    }
                }
            }, load));
        }
        // Under way on both replicas before the kill.
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> ok.get() >= 40);
        int inFlightAtKill = doomed.inFlight.get();
        doomed.close();
        killed.set(true);
        clients.forEach(CompletableFuture::join);
        System.out.printf("kill: in flight on the killed replica %d, failed %d, failed after kill %d,"
                + " ok %d%n", inFlightAtKill, failedBefore.get(), failedAfter.get(), ok.get());
        assertThat(failedBefore.get()).isLessThanOrEqualTo(Math.max(inFlightAtKill, 1));
        assertThat(failedAfter.get()).isZero();
        assertThat(ok.get()).isGreaterThan(100);
    }

    @Test
    void aHangingReplicaIsCutOffByTheDeadlineAndEjected() throws Exception {
        FakeReplica hanging = replica(FakeReplica.Mode.HANG, 0);
        FakeReplica fine = replica(FakeReplica.Mode.OK, 0);
        gateway(List.of(remote("v1", Map.of("timeout", "300ms", "eject-after", 2, "eject-for", "10s"),
                hanging.url(), fine.url())), Map.of("v1", 100));
        int timeouts = 0;
        long slowest = 0;
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long start = System.nanoTime();
            HttpResponse<String> answer = call("h" + i);
            statuses.add(answer.statusCode());
            if (answer.statusCode() == 504) {
                timeouts++;
                assertThat(answer.body()).startsWith("{\"error\":\"deadline");
            }
            slowest = Math.max(slowest, System.nanoTime() - start);
        }
        System.out.printf("hang: %d timeouts of 30, slowest %d ms, hanging replica saw %d%n",
                timeouts, slowest / 1_000_000, hanging.hits.get());
        assertThat(timeouts).isBetween(1, 2);
        assertThat(statuses.subList(20, 30)).containsOnly(200);
        assertThat(slowest).isLessThan(Duration.ofMillis(1500).toNanos());
    }

    @Test
    void aHangingReplicaCostsOnlyItsAttemptTimeout() throws Exception {
        FakeReplica hanging = replica(FakeReplica.Mode.HANG, 0);
        FakeReplica fine = replica(FakeReplica.Mode.OK, 0);
        // Every request that meets the hanging replica takes a retry: a budget that allows them.
        gateway(List.of(remote("v1", Map.of("balancer", "round-robin", "attempt-timeout", "200ms",
                "retry-budget", 1.0), hanging.url(), fine.url())), Map.of("v1", 100));
        long slowest = 0;
        for (int i = 0; i < 10; i++) {
            long start = System.nanoTime();
            assertThat(call("a" + i).statusCode()).isEqualTo(200);
            slowest = Math.max(slowest, System.nanoTime() - start);
        }
        System.out.printf("attempt timeout: slowest %d ms, hanging replica saw %d%n",
                slowest / 1_000_000, hanging.hits.get());
        // The request deadline is 5 s: every request that met the hanging replica moved on at
        // 200 ms, well inside it.
        assertThat(hanging.hits.get()).isPositive();
        assertThat(slowest).isLessThan(Duration.ofMillis(1500).toNanos());
    }

    @Test
    void aGarbageReplicaYields502OnlyForItsRequests() throws Exception {
        FakeReplica garbage = replica(FakeReplica.Mode.GARBAGE, 0);
        FakeReplica fine = replica(FakeReplica.Mode.OK, 0);
        gateway(List.of(remote("v1", Map.of("balancer", "round-robin"), garbage.url(), fine.url())),
                Map.of("v1", 100));
        int bad = 0;
        for (int i = 0; i < 40; i++) {
            HttpResponse<String> answer = call("g" + i);
            if (answer.statusCode() == 502) {
                bad++;
                assertThat(answer.body()).startsWith("{\"error\":\"replica").contains("malformed");
            } else {
                assertThat(answer.statusCode()).isEqualTo(200);
            }
        }
        assertThat(bad).isEqualTo(garbage.hits.get()).isEqualTo(20);
        assertThat(fine.hits.get()).isEqualTo(20);
    }

    @Test
    void aFullQueueAnswers503WithRetryAfterAtOnce() throws Exception {
        FakeReplica slow = replica(FakeReplica.Mode.OK, 800);
        gateway(List.of(remote("v1", Map.of("max-in-flight", 2, "max-queue", 1), slow.url())),
                Map.of("v1", 100));
        List<CompletableFuture<HttpResponse<String>>> admitted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            admitted.add(callAsync("q" + i));
        }
        Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> slow.inFlight.get() >= 2);
        // The third waits in the gateway's queue: the gateway counts it in flight once admitted.
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> Pattern.compile("(?m)^modelgate_requests_in_flight\\{protocol=\"rest\"} 3\\.0$")
                        .matcher(metrics()).find());
        long start = System.nanoTime();
        HttpResponse<String> refused = call("q-over");
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("full queue: 503 in %d ms%n", millis);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("retry-after")).isPresent();
        assertThat(millis).isLessThan(300);
        for (var answer : admitted) {
            assertThat(answer.join().statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aLocalAndARemoteRevisionSplitFiftyFifty() throws Exception {
        Path runtimeRepo = Files.createDirectories(repo.resolve("../runtime-" + System.nanoTime()));
        Files.createDirectories(runtimeRepo.resolve("toy"));
        Files.writeString(runtimeRepo.resolve("toy/model.yaml"), "runtime: fake\ninstances: 4\n");
        FakeModelFile.writeFixture(runtimeRepo.resolve("toy/1"), Duration.ZERO);
        RuntimeServer runtime = RuntimeServer.start(ServerConfig.from(Map.of("model-repository",
                runtimeRepo.toString(), "http-port", 0, "bind-address", "127.0.0.1"), runtimeRepo,
                "test"), RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        closing.add(runtime);
        runtime.loaded().join();
        gateway(List.of(Map.of("name", "v1", "model", "toy", "version", "1"),
                remote("v2", Map.of(), "http://127.0.0.1:" + runtime.httpPort())),
                Map.of("v1", 50, "v2", 50));
        Map<String, Integer> byRevision = new HashMap<>();
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            HttpResponse<String> answer = call("m" + i);
            assertThat(answer.statusCode()).isEqualTo(200);
            byRevision.merge(answer.headers().firstValue("x-modelgate-revision").orElseThrow(), 1,
                    Integer::sum);
            outputs.add(answer.body().replaceAll("\"id\":\"[^\"]*\",?", "")
                    .replaceAll("\"model_version\":\"[^\"]*\"", ""));
        }
        System.out.println("mixed split: " + byRevision);
        assertThat(byRevision.get("v1")).isBetween(70, 130);
        assertThat(byRevision.get("v2")).isBetween(70, 130);
        assertThat(outputs.stream().distinct()).hasSize(1);
    }

    @Test
    void drainUnderLoadCompletesEveryAdmittedRequest() throws Exception {
        FakeReplica slow = replica(FakeReplica.Mode.OK, 300);
        gateway(List.of(remote("v1", Map.of(), slow.url())), Map.of("v1", 100));
        List<CompletableFuture<HttpResponse<String>>> admitted = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            admitted.add(callAsync("d" + i));
        }
        Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> slow.inFlight.get() >= 10);
        int left = gateway.drain(Duration.ofSeconds(5));
        gateway = null;
        assertThat(left).isZero();
        for (var answer : admitted) {
            assertThat(answer.join().statusCode()).isEqualTo(200);
        }
    }
}
