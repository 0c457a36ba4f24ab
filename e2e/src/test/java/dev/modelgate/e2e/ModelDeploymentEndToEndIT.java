package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.modelgate.controller.crd.ModelDeployment;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller as a real process ({@code ControllerMain}, configured by the environment as in deploy/kubernetes),
 * fabric8's mock API server as the cluster, and {@link FakeKubelet} running each revision pod as a real
 * {@code modelgate runtime} process whose init container really ran {@code modelgate fetch-model}.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ModelDeploymentEndToEndIT {

    static final Path DEPLOY = Path.of("../deploy/kubernetes/base");
    static final Path IRIS = Path.of("../examples/model-repository/iris").toAbsolutePath().normalize();
    static final String NAMESPACE = "ml";

    static KubernetesClient client;
    static KubernetesMockServer server;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private Process controller;
    private FakeKubelet kubelet;

    @BeforeEach
    void start() throws Exception {
        for (String file : List.of("crds/modeldeployments.serving.modelgate.dev-v1.yml",
                "crds/clustermodelruntimes.serving.modelgate.dev-v1.yml", "cluster-model-runtimes.yaml")) {
            try (InputStream in = Files.newInputStream(DEPLOY.resolve(file))) {
                for (HasMetadata object : client.load(in).items()) {
                    client.resource(object).create();
                }
            }
        }
        Map<String, String> env = new HashMap<>(Processes.kubernetes(server.url("/")));
        env.put("POD_NAME", "controller-0");
        env.put("POD_NAMESPACE", "modelgate-system");
        env.put("MODELGATE_DRAIN_PERIOD", "PT2S");
        controller = Processes.java("dev.modelgate.controller.ControllerMain", List.of(), env,
                dir.resolve("controller.log"));
        kubelet = new FakeKubelet(client, NAMESPACE, Files.createDirectories(dir.resolve("pods")), Map.of()).start();
    }

    @AfterEach
    void stop() {
        if (kubelet != null) {
            kubelet.close();
        }
        Processes.stop(controller);
    }

    @Test
    void aModelDeploymentBecomesARuntimePodThatAnswersAndItsStatusSaysReady() throws Exception {
        client.resource(modelDeployment("iris", IRIS.resolve("1").toUri().toString())).create();

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            ModelDeployment md = client.resources(ModelDeployment.class).inNamespace(NAMESPACE).withName("iris").get();
            assertThat(md.getStatus()).as("status of iris; controller log in %s", dir).isNotNull();
            assertThat(condition(md, "Ready")).isEqualTo("True");
        });
        Deployment revision = client.apps().deployments().inNamespace(NAMESPACE).withName("iris-00001").get();
        assertThat(revision.getStatus().getReadyReplicas()).isEqualTo(1);
        EndpointSlice slice = client.discovery().v1().endpointSlices().inNamespace(NAMESPACE)
                .withLabel("kubernetes.io/service-name", "iris-00001").list().getItems().get(0);
        int port = slice.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst().orElseThrow()
                .getPort();
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/v2/models/iris/infer"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],"
                        + "\"datatype\":\"FP32\",\"data\":[5.1,3.5,1.4,0.2]}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("\"outputs\"");
    }

    static ModelDeployment modelDeployment(String name, String uri) {
        return client.getKubernetesSerialization().unmarshal("""
                apiVersion: serving.modelgate.dev/v1alpha1
                kind: ModelDeployment
                metadata: {name: %s, namespace: %s}
                spec:
                  model:
                    format: {name: onnx, version: "1"}
                    uri: %s
                """.formatted(name, NAMESPACE, uri), ModelDeployment.class);
    }

    static String condition(ModelDeployment md, String type) {
        return md.getStatus().conditions() == null ? null : md.getStatus().conditions().stream()
                .filter(c -> type.equals(c.getType())).map(Condition::getStatus).findFirst().orElse(null);
    }
}
