package dev.modelgate.discovery;

import static dev.modelgate.discovery.Fixtures.endpoint;
import static dev.modelgate.discovery.Fixtures.ready;
import static dev.modelgate.discovery.Fixtures.slice;
import static dev.modelgate.discovery.Fixtures.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.RuntimeRegistry;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real gateway learning its services from fabric8's mock API server (CRUD mode) through the
 * Kubernetes routing source, in front of OIP servers standing in for runtime pods: routing tables
 * and EndpointSlices are written as the controller and Kubernetes would, and the traffic is
 * checked end to end while a closed-loop client keeps sending.
 */
@EnableKubernetesMockClient(crud = true)
class DiscoveryIT {
    private static final String NS = "ml";
    private static final String BODY = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,3],"
            + "\"data\":[1,2,3]}]}";

    static KubernetesClient client;

    @TempDir
    Path dir;
    private Modelgate gateway;
    private KubernetesRoutingSource source;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Pod> pods = new java.util.ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Path repository = Files.createDirectories(dir.resolve("empty"));
        Map<String, Object> values = new LinkedHashMap<>(Map.of("model-repository", repository.toString(),
                "http-port", 0, "grpc-port", 0, "admin-port", 0, "bind-address", "127.0.0.1"));
        gateway = Modelgate.startRouted(ServerConfig.from(values, dir, "test"), RuntimeRegistry.of(List.of()));
        gateway.loaded().join();
        source = new KubernetesRoutingSource(client, false, new DiscoverySettings(Set.of(), Duration.ofMillis(50)));
        source.start(gateway::apply);
    }

    @AfterEach
    void stop() {
        client.configMaps().inNamespace(NS).delete();
        client.discovery().v1().endpointSlices().inNamespace(NS).delete();
        source.close();
        gateway.close();
        pods.forEach(Pod::close);
    }

    @Test
    void routingTablesAndEndpointSlicesDriveTheGateway() throws Exception {
        Pod a = pod("127.0.0.1", 0);
        client.resource(slice(NS, "iris-00001", ready(a.address()))).create();
        client.resource(table(NS, "iris", Map.of("iris-00001", 100), a.port())).create();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            HttpResponse<String> answer = infer();
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        });
        assertThat(a.answered.get()).isPositive();

        try (Load load = new Load()) {
            // A second ready pod behind the same Service: both get traffic.
            Pod b = pod("127.0.0.2", a.port());
            client.resource(slice(NS, "iris-00001", ready(a.address()), ready(b.address()))).update();
            int before = a.answered.get();
            await().atMost(Duration.ofSeconds(5)).until(() -> b.answered.get() > 20 && a.answered.get() > before + 20);

            // B stops being ready: no request fails, and once the change is in, B gets none.
            client.resource(slice(NS, "iris-00001", ready(a.address()), endpoint(b.address(), false, false)))
                    .update();
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                int seen = b.answered.get();
                int sent = load.answered.get();
                await().until(() -> load.answered.get() > sent + 30);
                return b.answered.get() == seen;
            });
            assertThat(load.failures).as("requests failed while pods came and went").isEmpty();

            // A second revision, dark first, then all the weight moved to it: traffic follows within a second.
            Pod c = pod("127.0.0.1", 0);
            client.resource(slice(NS, "iris-00002", ready(c.address()))).create();
            Map<String, Integer> ports = Map.of("iris-00001", a.port(), "iris-00002", c.port());
            client.resource(table(NS, "iris", Map.of("iris-00001", 100, "iris-00002", 0), ports)).update();
            await().atMost(Duration.ofSeconds(5)).until(() -> gateway.http() != null && revisions().contains(
                    "iris-00002"));
            int aBefore = a.answered.get();
            int cBefore = c.answered.get();
            assertThat(cBefore).isZero();
            ConfigMap moved = table(NS, "iris", Map.of("iris-00001", 0, "iris-00002", 100), ports);
            long changed = System.nanoTime();
            client.resource(moved).update();
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                    .until(() -> "iris-00002".equals(infer().headers().firstValue("x-modelgate-revision").orElse("")));
            System.out.printf("DiscoveryIT: weights followed the routing table in %d ms%n",
                    (System.nanoTime() - changed) / 1_000_000);
            assertThat(c.answered.get()).isGreaterThan(cBefore);
            int aAfter = a.answered.get();
            await().until(() -> load.answered.get() > 0 && c.answered.get() > cBefore + 30);
            assertThat(a.answered.get()).as("the old revision gets nothing once the weight moved")
                    .isLessThanOrEqualTo(aAfter + 2);
            assertThat(aAfter).isGreaterThan(aBefore);
            assertThat(load.failures).as("requests failed while the weights moved").isEmpty();
        }

        // The routing table deleted: the model is gone.
        long deleted = System.nanoTime();
        client.resource(table(NS, "iris", Map.of("iris-00001", 0, "iris-00002", 100), 1)).delete();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> infer().statusCode() == 404);
        System.out.printf("DiscoveryIT: the deleted table's model answered 404 after %d ms%n",
                (System.nanoTime() - deleted) / 1_000_000);
    }

    @Test
    void aBrokenTableIsSkippedAndTheOthersServe() throws Exception {
        Pod a = pod("127.0.0.1", 0);
        client.resource(slice(NS, "fraud-00001", ready(a.address()))).create();
        client.resource(table(NS, "bad-routes", "services: [{name: bad}]\n")).create();
        client.resource(table(NS, "fraud", Map.of("fraud-00001", 100), a.port())).create();

        await().atMost(Duration.ofSeconds(5)).until(() -> infer("fraud").statusCode() == 200);
        assertThat(infer("bad").statusCode()).isEqualTo(404);
    }

    private Pod pod(String address, int port) throws java.io.IOException {
        Pod pod = new Pod(address, port);
        pods.add(pod);
        return pod;
    }

    private HttpResponse<String> infer() throws Exception {
        return infer("iris");
    }

    private HttpResponse<String> infer(String model) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort()
                + "/v2/models/" + model + "/infer")).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String revisions() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort()
                + "/admin/services/iris")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** One closed-loop client: a request, its answer, the next; every answer that is not 200 is kept. */
    private final class Load implements AutoCloseable {
        final AtomicInteger answered = new AtomicInteger();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread = new Thread(this::run, "discovery-it-load");

        Load() {
            thread.start();
        }

        private void run() {
            while (running.get()) {
                try {
                    HttpResponse<String> answer = infer();
                    if (answer.statusCode() != 200) {
                        failures.add(answer.statusCode() + " " + answer.body());
                    }
                } catch (Exception e) {
                    failures.add(e.toString());
                }
                answered.incrementAndGet();
            }
        }

        @Override
        public void close() {
            running.set(false);
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
