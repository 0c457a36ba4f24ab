package dev.modelgate.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.controller.crd.ClusterModelRuntime;
import dev.modelgate.controller.crd.ModelDeployment;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped examples are valid and, with the base's runtimes, become what their comments say. */
class ExamplesTest {

    private static final Path DEPLOY = Path.of("../../deploy/kubernetes");

    private static <T> List<T> load(Path file, Class<T> type) throws IOException {
        List<T> out = new ArrayList<>();
        for (String document : Files.readString(file).split("(?m)^---$")) {
            if (!document.isBlank()) {
                HasMetadata parsed = WorkloadFactory.SERIALIZATION.unmarshal(document);
                out.add(WorkloadFactory.SERIALIZATION.convertValue(parsed, type));
            }
        }
        return out;
    }

    private static Reconcile reconcile(String example) throws IOException {
        ModelDeployment md = load(DEPLOY.resolve("examples").resolve(example), ModelDeployment.class).get(0);
        md.getMetadata().setUid("uid");
        md.getMetadata().setGeneration(1L);
        List<ClusterModelRuntime> runtimes = load(DEPLOY.resolve("base/cluster-model-runtimes.yaml"),
                ClusterModelRuntime.class);
        return new ModelDeploymentReconciler(ControllerSettings.defaults(), Fixtures.at(Fixtures.T0))
                .reconcile(new Observed(md, runtimes, List.of(), List.of(), List.of()));
    }

    @Test
    void irisRunsOnTheOnnxRuntimeOnCpu() throws IOException {
        Reconcile r = reconcile("iris.yaml");

        assertThat(r.status().orElseThrow().conditions()).noneSatisfy(c ->
                assertThat(c.getReason()).isIn("InvalidSpec", "NoSupportingRuntime"));
        Deployment d = Fixtures.named(r.desired(), Deployment.class, "iris-00001");
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("ghcr.io/modelgate/modelgate:0.1.0");
        assertThat(d.getSpec().getTemplate().getSpec().getInitContainers().get(0).getEnvFrom().get(0)
                .getSecretRef().getName()).isEqualTo("minio-credentials");
        assertThat(Fixtures.named(r.desired(), ConfigMap.class, "iris-00001-model").getData().get("model.yaml"))
                .contains("runtime: onnx\n", "device: cpu\n");
    }

    @Test
    void theRolloutBlockKeepsTheGatewaysKeys() throws IOException {
        ModelDeployment md = load(DEPLOY.resolve("examples/resnet-gpu.yaml"), ModelDeployment.class).get(0);

        assertThat(md.getSpec().rollout().stepWeight()).isEqualTo(10);
        assertThat(md.getSpec().rollout().maxWeight()).isEqualTo(50);
        assertThat(md.getSpec().rollout().judge()).containsEntry("min-samples", 200);
        assertThat(WorkloadFactory.SERIALIZATION.asJson(md.getSpec().rollout()))
                .contains("\"step-weight\":10", "\"max-weight\":50");
    }

    @Test
    void resnetRunsOnAGpuWithBatchingAndSpeaksGrpc() throws IOException {
        Reconcile r = reconcile("resnet-gpu.yaml");

        String modelYaml = Fixtures.named(r.desired(), ConfigMap.class, "resnet-00001-model").getData()
                .get("model.yaml");
        assertThat(modelYaml).contains("runtime: onnx\n", "device: gpu\n", "batching:\n",
                "  max-batch-size: 32\n", "  preferred-batch-sizes: [16, 32]\n", "  max-queue-delay: 2000\n");
        assertThat(Fixtures.named(r.desired(), ConfigMap.class, "resnet-routes").getData().get("services.yaml"))
                .contains("protocol: \"grpc\"", "port: \"grpc\"");
        Deployment d = Fixtures.named(r.desired(), Deployment.class, "resnet-00001");
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getRequests())
                .as("the deployment's requests overlay the runtime's").containsKeys("cpu", "memory");
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getRequests()
                .get("cpu").toString()).isEqualTo("2");
    }
}
