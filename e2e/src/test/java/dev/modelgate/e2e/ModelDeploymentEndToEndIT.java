package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.crd.ModelPromotion;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
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

/**
 * The controller as a real process ({@code ControllerMain}, configured by the environment as in deploy/kubernetes),
 * fabric8's mock API server as the cluster, and {@link FakeKubelet} running each revision pod as a real
 * {@code modelgate runtime} process whose init container really ran {@code modelgate fetch-model}; the gateway is a
 * real {@code modelgate serve --routing-source kubernetes} that learns routes and pods from the API server.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ModelDeploymentEndToEndIT {

    static final Path DEPLOY = Path.of("../deploy/kubernetes/base");
    static final Path IRIS = Path.of("../examples/model-repository/iris").toAbsolutePath().normalize();
    static final String NAMESPACE = "ml";

    static final ResourceDefinitionContext TRAIN_JOBS = new ResourceDefinitionContext.Builder()
            .withGroup("trainer.kubeflow.org").withVersion("v1alpha1").withKind("TrainJob").withPlural("trainjobs")
            .withNamespaced(true).build();

    static KubernetesClient client;
    static KubernetesMockServer server;

    /** Under target/, not a temporary directory, so the processes' logs outlive a failed run. */
    private Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private Process controller;
    private Process gateway;
    private FakeKubelet kubelet;
    private int gatewayHttp;

    @BeforeEach
    void start() throws Exception {
        dir = Files.createDirectories(Path.of("target/e2e", String.valueOf(System.currentTimeMillis())))
                .toAbsolutePath();
        for (String file : List.of("crds/modeldeployments.serving.modelgate.dev-v1.yml",
                "crds/clustermodelruntimes.serving.modelgate.dev-v1.yml",
                "crds/modelpromotions.serving.modelgate.dev-v1.yml", "cluster-model-runtimes.yaml")) {
            try (InputStream in = Files.newInputStream(DEPLOY.resolve(file))) {
                for (HasMetadata object : client.load(in).items()) {
                    client.resource(object).createOr(existing -> existing.update());
                }
            }
        }
        // Kubeflow Trainer, as far as the API goes: its TrainJob CRD (a stub schema), present before the controller
        // starts so its first look for the Kubeflow kinds finds it.
        client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: trainjobs.trainer.kubeflow.org}
                spec:
                  group: trainer.kubeflow.org
                  scope: Namespaced
                  names: {kind: TrainJob, plural: trainjobs, singular: trainjob}
                  versions:
                    - name: v1alpha1
                      served: true
                      storage: true
                      subresources: {status: {}}
                      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
                """, HasMetadata.class)).createOr(existing -> existing.update());
        gatewayHttp = freePort();
        int gatewayAdmin = freePort();
        Map<String, String> gatewayEnv = new HashMap<>(Processes.kubernetes(server.url("/")));
        gatewayEnv.put("MODELGATE_DISCOVERY_NAMESPACES", NAMESPACE);
        gateway = Processes.java("dev.modelgate.server.cli.Main", List.of("serve", "--routing-source", "kubernetes",
                "--model-repository", Files.createDirectories(dir.resolve("empty")).toString(),
                "--http-port", String.valueOf(gatewayHttp), "--grpc-port", String.valueOf(freePort()),
                "--admin-port", String.valueOf(gatewayAdmin)), gatewayEnv, dir.resolve("gateway.log"));
        // The gateway's own pod, as the EndpointSlice controller would publish it: the controller scrapes it.
        client.resource(gatewaySlice(gatewayAdmin)).createOr(existing -> existing.update());
        Map<String, String> env = new HashMap<>(Processes.kubernetes(server.url("/")));
        env.put("MODELGATE_GATEWAY_ADMIN_URL", "http://127.0.0.1:" + gatewayAdmin);
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
        Processes.stop(gateway);
    }

    /**
     * The whole story through real processes: iris v1 answered through the gateway and scaled up under load by the
     * autoscaler; a TrainJob completes, its ModelPromotion makes its model (v2) the canary, the gateway's judge steps
     * and promotes it, the controller mirrors that into both statuses, and no request fails on the way.
     */
    @Test
    void throughTheGatewayAModelScalesUnderLoadAndATrainedVersionIsJudgedAndPromotedWithNoFailedRequest()
            throws Exception {
        ModelDeployment v1 = client.getKubernetesSerialization().unmarshal("""
                apiVersion: serving.modelgate.dev/v1alpha1
                kind: ModelDeployment
                metadata: {name: iris, namespace: %s}
                spec:
                  model:
                    format: {name: onnx, version: "1"}
                    uri: %s
                  minReplicas: 1
                  maxReplicas: 3
                  scaleMetric: concurrency
                  scaleTarget: 1
                """.formatted(NAMESPACE, IRIS.resolve("1").toUri()), ModelDeployment.class);
        client.resource(v1).create();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> {
                    HttpResponse<String> answer = infer();
                    assertThat(answer.statusCode()).as("%s; routes %s; logs in %s", answer.body(),
                            client.configMaps().inNamespace(NAMESPACE).withName("iris-routes").get(), dir)
                            .isEqualTo(200);
                });

        try (Load load = new Load(this::infer, 4)) {
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(kubelet.running("iris-00001"))
                    .as("pods of iris-00001 under load; logs in %s", dir).isGreaterThanOrEqualTo(2));

            // Training finishes: the TrainJob's model becomes the canary through the ModelPromotion.
            client.resource(client.getKubernetesSerialization().unmarshal("""
                    apiVersion: serving.modelgate.dev/v1alpha1
                    kind: ModelPromotion
                    metadata: {name: iris-from-training, namespace: %s}
                    spec:
                      targetRef: {name: iris}
                      source: {kind: TrainJob, name: iris-retrain}
                      rollout:
                        steps: [{weight: 50, hold: 5s}]
                        judge: {min-samples: 20, latency-tolerance: 5.0}
                    """.formatted(NAMESPACE), HasMetadata.class)).create();
            GenericKubernetesResource job = client.getKubernetesSerialization().unmarshal("""
                    apiVersion: trainer.kubeflow.org/v1alpha1
                    kind: TrainJob
                    metadata:
                      name: iris-retrain
                      namespace: %s
                      annotations: {serving.modelgate.dev/model-uri: "%s"}
                    spec: {runtimeRef: {name: torch-distributed}}
                    """.formatted(NAMESPACE, IRIS.resolve("2").toUri()), GenericKubernetesResource.class);
            job = client.genericKubernetesResources(TRAIN_JOBS).inNamespace(NAMESPACE).resource(job).create();
            job.setAdditionalProperty("status", Map.of("conditions", List.of(Map.of("type", "Complete",
                    "status", "True", "reason", "JobsCompleted", "lastTransitionTime", "2026-11-30T00:00:00Z"))));
            client.genericKubernetesResources(TRAIN_JOBS).inNamespace(NAMESPACE).resource(job).updateStatus();

            await().atMost(Duration.ofSeconds(180)).untilAsserted(() -> {
                ModelDeployment md = client.resources(ModelDeployment.class).inNamespace(NAMESPACE).withName("iris")
                        .get();
                assertThat(condition(md, "RolloutSucceeded")).as("status %s; logs in %s", md.getStatus(), dir)
                        .isEqualTo("True");
                assertThat(md.getStatus().stableRevision()).isEqualTo("iris-00002");
                assertThat(md.getSpec().model().uri()).isEqualTo(IRIS.resolve("2").toUri().toString());
            });
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(client.resources(
                    ModelPromotion.class).inNamespace(NAMESPACE).withName("iris-from-training").get().getStatus()
                    .rolloutOutcome()).isEqualTo("Succeeded"));
            load.assertServedWithoutFailure(200);
        }
    }

    private HttpResponse<String> infer() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayHttp
                        + "/v2/models/iris/infer")).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],"
                        + "\"datatype\":\"FP32\",\"data\":[5.1,3.5,1.4,0.2]}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static EndpointSlice gatewaySlice(int adminPort) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace("modelgate-system")
                .withName("modelgate-gateway-pod-0").addToLabels("kubernetes.io/service-name", "modelgate-gateway")
                .endMetadata().withAddressType("IPv4")
                .addNewEndpoint().withAddresses("127.0.0.1").withNewConditions().withReady(true).endConditions()
                .endEndpoint()
                .addNewPort().withName("admin").withProtocol("TCP").withPort(adminPort).endPort()
                .build();
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static String condition(ModelDeployment md, String type) {
        return md.getStatus().conditions() == null ? null : md.getStatus().conditions().stream()
                .filter(c -> type.equals(c.getType())).map(Condition::getStatus).findFirst().orElse(null);
    }
}
