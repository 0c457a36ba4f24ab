package dev.modelgate.controller.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.crd.ModelDeploymentSpec;
import dev.modelgate.controller.crd.ModelDeploymentStatus;
import dev.modelgate.controller.crd.ModelFormat;
import dev.modelgate.controller.crd.ModelSpec;
import dev.modelgate.controller.crd.RolloutSpec;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real deploy command against fabric8's mock API server, the test playing the controller's status writes. */
@EnableKubernetesMockClient(crud = true)
class DeployCommandIT {

    KubernetesClient client;
    KubernetesMockServer server;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void crds() throws Exception {
        try (InputStream in = Files.newInputStream(
                Path.of("../../deploy/kubernetes/base/crds/modeldeployments.serving.modelgate.dev-v1.yml"))) {
            client.apiextensions().v1().customResourceDefinitions().load(in).create();
        }
    }

    private int deploy(String... args) {
        return DeployCommand.run(args, server::createClient, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private CompletableFuture<Integer> deployAsync(String... args) {
        return CompletableFuture.supplyAsync(() -> deploy(args));
    }

    private ModelDeployment md(String name) {
        return client.resources(ModelDeployment.class).inNamespace("ml").withName(name).get();
    }

    private void existing(String name) {
        ModelDeployment md = new ModelDeployment();
        md.setMetadata(new ObjectMetaBuilder().withNamespace("ml").withName(name).build());
        md.setSpec(new ModelDeploymentSpec(new ModelSpec(new ModelFormat("pytorch", "2"), "s3://models/" + name + "/1",
                "modelgate-djl", null), new ResourceRequirementsBuilder().addToLimits("cpu", new Quantity("2"))
                .build(), null, null, 2, null, null, null, null, null, null, null, null));
        client.resource(md).create();
    }

    /** Plays the controller: the status of a generation, with a rollout condition. */
    private void status(String name, long generation, String condition, String stable) {
        ModelDeployment md = md(name);
        md.setStatus(new ModelDeploymentStatus(generation, null, List.of(new ConditionBuilder().withType(condition)
                .withStatus("True").withReason("Test").build()), stable, null, null, null, null));
        client.resources(ModelDeployment.class).inNamespace("ml").resource(md).updateStatus();
    }

    private long generationOnce(String name, String uri) {
        await().atMost(Duration.ofSeconds(20)).until(() -> uri.equals(md(name).getSpec().model().uri()));
        return md(name).getMetadata().getGeneration();
    }

    @Test
    void createsAModelDeploymentWithCanaryAndRolloutAndWritesTheOutputFiles() throws Exception {
        int code = deploy("--name", "iris", "--namespace", "ml", "--model-uri", "minio://models/iris/2",
                "--format", "onnx", "--format-version", "1", "--canary-percent", "10",
                "--rollout", "{\"step-weight\": 10, \"max-weight\": 50, \"interval\": \"1m\"}", "--wait", "False",
                "--outcome-file", dir.resolve("out/outcome").toString(),
                "--revision-file", dir.resolve("out/revision").toString());

        assertThat(code).as(err.toString()).isZero();
        ModelDeploymentSpec spec = md("iris").getSpec();
        assertThat(spec.model()).isEqualTo(new ModelSpec(new ModelFormat("onnx", "1"), "s3://models/iris/2", null,
                null));
        assertThat(spec.canaryTrafficPercent()).isEqualTo(10);
        assertThat(spec.rollout()).isEqualTo(new RolloutSpec(null, 10, 50, "1m", null));
        assertThat(Files.readString(dir.resolve("out/outcome"))).isEqualTo("Applied");
        assertThat(Files.readString(dir.resolve("out/revision"))).isEmpty();
        assertThat(out.toString()).contains("ModelDeployment ml/iris: Applied");
    }

    @Test
    void patchesOnlyWhatItIsGivenAndExitsZeroWhenTheRolloutOfThatGenerationSucceeds() throws Exception {
        existing("iris");
        status("iris", 1, "RolloutSucceeded", "iris-00001");
        CompletableFuture<Integer> run = deployAsync("--name", "iris", "--namespace", "ml",
                "--model-uri", "s3://models/iris/2", "--canary-percent", "20", "--rollout",
                "step-weight: 20\ninterval: 30s\n", "--wait", "--timeout", "30",
                "--outcome-file", dir.resolve("outcome").toString(),
                "--revision-file", dir.resolve("revision").toString());
        long generation = generationOnce("iris", "s3://models/iris/2");
        assertThat(generation).isEqualTo(2);
        assertThat(run).as("the old generation's RolloutSucceeded does not end the wait").isNotDone();

        ModelDeploymentSpec spec = md("iris").getSpec();
        assertThat(spec.model().format()).isEqualTo(new ModelFormat("pytorch", "2"));
        assertThat(spec.model().runtime()).isEqualTo("modelgate-djl");
        assertThat(spec.minReplicas()).isEqualTo(2);
        assertThat(spec.resources().getLimits()).containsEntry("cpu", new Quantity("2"));
        assertThat(spec.canaryTrafficPercent()).isEqualTo(20);
        assertThat(spec.rollout()).isEqualTo(new RolloutSpec(null, 20, null, "30s", null));

        status("iris", generation, "RolloutSucceeded", "iris-00002");
        assertThat(run.get()).as(err.toString()).isZero();
        assertThat(Files.readString(dir.resolve("outcome"))).isEqualTo("Succeeded");
        assertThat(Files.readString(dir.resolve("revision"))).isEqualTo("iris-00002");
        assertThat(out.toString()).contains("ModelDeployment ml/iris: Succeeded, revision iris-00002");
    }

    @Test
    void aRolledBackRolloutExitsThree() throws Exception {
        existing("iris");
        CompletableFuture<Integer> run = deployAsync("--name", "iris", "--namespace", "ml",
                "--model-uri", "s3://models/iris/3", "--canary-percent", "10", "--wait", "true", "--timeout", "PT30S",
                "--outcome-file", dir.resolve("outcome").toString());
        long generation = generationOnce("iris", "s3://models/iris/3");
        status("iris", generation, "RolloutAborted", "iris-00001");

        assertThat(run.get()).isEqualTo(3);
        assertThat(Files.readString(dir.resolve("outcome"))).isEqualTo("Aborted");
        assertThat(out.toString()).contains("Aborted, revision iris-00001");
    }

    @Test
    void noOutcomeWithinTheTimeoutExitsFour() throws Exception {
        existing("iris");
        int code = deploy("--name", "iris", "--namespace", "ml", "--model-uri", "s3://models/iris/4", "--wait",
                "--timeout", "1", "--outcome-file", dir.resolve("outcome").toString());
        assertThat(code).isEqualTo(4);
        assertThat(Files.readString(dir.resolve("outcome"))).isEqualTo("Timeout");
    }

    @Test
    void badFlagsAndAMissingFormatOnCreateExitTwoListingEveryProblem() {
        int code = deploy("--name", "Iris_", "--namespace", "ml", "--model-uri", "ftp://x", "--canary-percent",
                "140");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--name: Iris_ (expected: a DNS-1123 label",
                "--model-uri: ftp://x (expected:", "--canary-percent: 140 (expected: 0 to 100)");

        assertThat(deploy("--name", "new", "--namespace", "ml", "--model-uri", "s3://m/new/1")).isEqualTo(2);
        assertThat(err.toString()).contains("--format: null (expected: a model format such as onnx to create");
        assertThat(md("new")).isNull();

        assertThat(deploy("--name", "new", "--namespace", "ml", "--model-uri", "s3://m/new/1", "--format", "onnx",
                "--rollout", "[1, 2]")).isEqualTo(2);
        assertThat(deploy("--namespace", "ml")).as("picocli's usage error").isEqualTo(2);
        assertThat(deploy("--help")).isZero();
        assertThat(out.toString()).contains("--model-uri");
    }
}
