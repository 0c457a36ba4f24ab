package dev.modelgate.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to the packaged gateway under steady keep-alive load (issue 16 item 11): the drain delay
 * keeps serving, so no request that the server accepted fails. Helpers are {@link SigtermDrainIT}'s.
 */
class SigtermKeepAliveIT {
    private static final String BODY = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":"
            + "\"FP32\",\"data\":[1]}]}";

    @TempDir
    Path dir;

    /**
     * Steady keep-alive load across SIGTERM: during the drain delay the server keeps answering on
     * open connections (each answer closing its connection) and accepts new ones, readiness on a
     * new connection says 503, and only after the delay does the listener close; a request is
     * then either answered 200 or refused at connect, never failed after it was accepted.
     */
    @Test
    void steadyKeepAliveLoadAcrossSigtermLosesNoAcceptedRequest() throws Exception {
        try (FakeReplica replica = new FakeReplica(FakeReplica.Mode.OK, 2)) {
            SigtermDrainIT.copy(Path.of("../../examples/model-repository/iris").toAbsolutePath().normalize(),
                    dir.resolve("models/iris"));
            Files.writeString(dir.resolve("gateway.yaml"), """
                    model-repository: models
                    http-port: 0
                    admin-port: 0
                    bind-address: 127.0.0.1
                    access-log: off
                    services:
                      - name: svc
                        revisions:
                          # Slow health checks and no passive ejection: on a loaded CI machine a
                          # late probe must not turn the replica away (503s unrelated to the drain).
                          - {name: v1, model: toy, version: "1", endpoints: ["%s"], health-interval: 2s,
                             eject-after: 1000}
                        traffic: {weights: {v1: 100}}
                    """.formatted(replica.url()));
            Process server = SigtermDrainIT.launch(dir, "serve", "--config", "gateway.yaml", "--drain-timeout", "10",
                    "--drain-delay", "2");
            try {
                int port = SigtermDrainIT.port(server);
                SigtermDrainIT.awaitReady(port);
                URI infer = URI.create("http://127.0.0.1:" + port + "/v2/models/svc/infer");
                java.util.concurrent.atomic.AtomicLong signalled = new java.util.concurrent.atomic.AtomicLong();
                java.util.concurrent.atomic.AtomicInteger ok = new java.util.concurrent.atomic.AtomicInteger();
                java.util.concurrent.atomic.AtomicInteger okAfterSignal = new java.util.concurrent.atomic.AtomicInteger();
                java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
                List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
                java.util.concurrent.CountDownLatch loaded = new java.util.concurrent.CountDownLatch(200);
                List<Thread> workers = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    Thread worker = new Thread(() -> {
                        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                        while (true) {
                            try {
                                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(infer)
                                        .timeout(Duration.ofSeconds(10))
                                        .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(),
                                        HttpResponse.BodyHandlers.ofString());
                                if (answer.statusCode() == 200) {
                                    ok.incrementAndGet();
                                    if (signalled.get() != 0) {
                                        okAfterSignal.incrementAndGet();
                                    }
                                } else {
                                    failures.add("status " + answer.statusCode() + ": " + answer.body());
                                }
                                loaded.countDown();
                            } catch (java.net.ConnectException e) {
                                refused.incrementAndGet(); // the listener closed: never accepted
                                return;
                            } catch (IOException e) {
                                failures.add(e.toString());
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }, "load-" + w);
                    worker.start();
                    workers.add(worker);
                }
                assertThat(loaded.await(30, TimeUnit.SECONDS)).isTrue();
                signalled.set(System.nanoTime());
                server.destroy(); // SIGTERM
                Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                        .until(() -> SigtermDrainIT.readinessOnANewConnection(port) == 503); // listener still open
                for (Thread worker : workers) {
                    worker.join(30_000);
                }
                assertThat(server.waitFor(20, TimeUnit.SECONDS)).isTrue();
                System.out.println("steady load across SIGTERM: " + ok + " answered (" + okAfterSignal
                        + " after the signal), " + refused + " refused at connect, failures " + failures);
                assertThat(failures).isEmpty();
                // After the signal each answer closes its connection, so a worker's every later
                // request came on a new connection: without the delay's open listener a worker gets
                // at most the one in flight and perhaps one more (8 in all, measured); with it, 50+.
                assertThat(okAfterSignal.get()).isGreaterThanOrEqualTo(4 * 5);
                assertThat(refused.get()).isEqualTo(4); // every worker ended at the closed listener
                assertThat(server.exitValue()).isZero();
            } finally {
                server.destroyForcibly();
            }
        }
    }

}
