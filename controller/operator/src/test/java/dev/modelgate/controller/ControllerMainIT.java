package dev.modelgate.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.modelgate.controller.crd.ClusterModelRuntime;
import dev.modelgate.controller.crd.ClusterModelRuntimeSpec;
import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.crd.ModelDeploymentSpec;
import dev.modelgate.controller.crd.ModelFormat;
import dev.modelgate.controller.crd.ModelSpec;
import dev.modelgate.controller.kube.ModelDeploymentController;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The composition root, configured as the Deployment in deploy/kubernetes configures it, against the mock. */
@EnableKubernetesMockClient(crud = true)
class ControllerMainIT {

    static KubernetesClient client;

    @Test
    void theEnvironmentConfiguresAControllerThatReconciles() throws Exception {
        for (String crd : List.of("modeldeployments", "clustermodelruntimes")) {
            try (InputStream in = Files.newInputStream(
                    Path.of("../../deploy/kubernetes/base/crds/" + crd + ".serving.modelgate.dev-v1.yml"))) {
                client.apiextensions().v1().customResourceDefinitions().load(in).create();
            }
        }
        ClusterModelRuntime runtime = new ClusterModelRuntime();
        runtime.setMetadata(new ObjectMetaBuilder().withName("onnx").build());
        runtime.setSpec(new ClusterModelRuntimeSpec("modelgate:test", "onnx",
                List.of(new ClusterModelRuntimeSpec.SupportedModelFormat("onnx", null, true, 1)), null, null, null,
                null, null, null));
        client.resource(runtime).create();
        Map<String, String> env = Map.of("POD_NAME", "controller-7", "POD_NAMESPACE", "modelgate-system",
                "MODELGATE_GATEWAY_URL", "http://gw.example:8080", "MODELGATE_DRAIN_PERIOD", "PT5S");

        ModelDeploymentController controller = ControllerMain.compose(env, client, Clock.systemUTC());
        try {
            controller.start();
            await().atMost(Duration.ofSeconds(30)).until(controller::isLeading);
            ModelDeployment md = new ModelDeployment();
            md.setMetadata(new ObjectMetaBuilder().withNamespace("ml").withName("iris").build());
            md.setSpec(new ModelDeploymentSpec(new ModelSpec(new ModelFormat("onnx", "1"), "s3://m/iris/1", null,
                    null), null, null, null, null, null, null, null, null, null, null, null, null));
            client.resource(md).create();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                ModelDeployment seen = client.resources(ModelDeployment.class).inNamespace("ml").withName("iris")
                        .get();
                assertThat(seen.getStatus()).isNotNull();
                assertThat(seen.getStatus().url()).isEqualTo("http://gw.example:8080/v2/models/iris");
            });
            assertThat(client.leases().inNamespace("modelgate-system").withName("modelgate-controller-leader").get()
                    .getSpec().getHolderIdentity()).isEqualTo("controller-7");
            await().atMost(Duration.ofSeconds(20)).until(controller::idle);
        } finally {
            controller.close();
        }
    }

    @Test
    void theGatewayIsFoundInTheControllersNamespaceByDefault() {
        assertThat(ControllerMain.gatewayUrl(Map.of("POD_NAMESPACE", "kubeflow")))
                .isEqualTo("http://modelgate-gateway.kubeflow.svc.cluster.local");
        assertThat(ControllerMain.gatewayUrl(Map.of("MODELGATE_GATEWAY_URL", "http://gw")))
                .isEqualTo("http://gw");
    }

    @Test
    void aBadEnvironmentIsRefusedWithTheOffendingValue() {
        assertThatThrownBy(() -> ControllerMain.compose(Map.of("MODELGATE_WRITER", "patch"), client,
                Clock.systemUTC())).hasMessage("MODELGATE_WRITER: patch (expected: update or server-side-apply)");
        assertThatThrownBy(() -> ControllerMain.compose(Map.of("MODELGATE_DRAIN_PERIOD", "soon"), client,
                Clock.systemUTC())).hasMessageStartingWith("MODELGATE_DRAIN_PERIOD: soon (expected:");
        assertThatThrownBy(() -> ControllerMain.compose(Map.of("MODELGATE_GATEWAY_URL", "gateway"), client,
                Clock.systemUTC())).hasMessage("gateway-url: gateway (expected: an http or https URL)");
        assertThatThrownBy(() -> ControllerMain.compose(Map.of("MODELGATE_GATEWAY_SERVICE", "Gateway_1",
                "MODELGATE_GATEWAY_ADMIN_URL", "gateway:8082"), client, Clock.systemUTC()))
                .hasMessage("MODELGATE_GATEWAY_SERVICE: Gateway_1 (expected: a Service name); "
                        + "MODELGATE_GATEWAY_ADMIN_URL: gateway:8082 (expected: http(s)://host:port)");
    }
}
