package dev.modelgate.controller.kube;

import dev.modelgate.controller.crd.ClusterModelRuntime;
import dev.modelgate.controller.crd.ClusterModelRuntimeSpec;
import dev.modelgate.controller.crd.ClusterModelRuntimeSpec.SupportedModelFormat;
import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.crd.ModelDeploymentSpec;
import dev.modelgate.controller.crd.ModelFormat;
import dev.modelgate.controller.crd.ModelSpec;
import dev.modelgate.controller.reconcile.ControllerSettings;
import dev.modelgate.controller.reconcile.ModelDeploymentReconciler;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Test helpers for fabric8's mock API server: our CRDs registered (so status is a subresource), a runtime, pods. */
final class MockCluster {

    static final Path CRDS = Path.of("../../deploy/kubernetes/base/crds");

    private MockCluster() {
    }

    static void install(KubernetesClient client) throws IOException {
        for (String file : List.of("modeldeployments.serving.modelgate.dev-v1.yml",
                "clustermodelruntimes.serving.modelgate.dev-v1.yml")) {
            try (InputStream in = Files.newInputStream(CRDS.resolve(file))) {
                client.apiextensions().v1().customResourceDefinitions().load(in).createOr(c -> c.update());
            }
        }
        ClusterModelRuntime runtime = new ClusterModelRuntime();
        runtime.setMetadata(new ObjectMetaBuilder().withName("modelgate-onnx").build());
        runtime.setSpec(new ClusterModelRuntimeSpec("modelgate:test", "onnx",
                List.of(new SupportedModelFormat("onnx", "1", true, 1)), List.of("v2"), null, null, null, null, null));
        client.resource(runtime).createOr(c -> c.update());
    }

    static ModelDeployment md(String namespace, String name, String uri, Integer canaryPercent) {
        ModelDeployment md = new ModelDeployment();
        md.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        md.setSpec(spec(uri, canaryPercent));
        return md;
    }

    static ModelDeploymentSpec spec(String uri, Integer canaryPercent) {
        return new ModelDeploymentSpec(new ModelSpec(new ModelFormat("onnx", "1"), uri, null, null), null, null,
                null, null, null, null, null, null, null, canaryPercent, null, null);
    }

    /** Stands in for the Deployment controller and kubelet: the revision's pods are ready. */
    static void podsReady(KubernetesClient client, String namespace, String name, int pods) {
        Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
        d.setStatus(new DeploymentStatusBuilder().withReplicas(pods).withReadyReplicas(pods)
                .withAvailableReplicas(pods).build());
        client.apps().deployments().inNamespace(namespace).resource(d).updateStatus();
    }

    /**
     * Waits until a ModelDeployment has a status and the controller has nothing left to do. Closing watches while
     * the mock server is still pushing events to them can stall its event loop for a minute (its
     * {@code WatchEventsListener.onClosed} waits for the sender, which needs that loop), so tests let the
     * controller settle before they close it.
     */
    static void settle(KubernetesClient client, ModelDeploymentController controller, String name) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            ModelDeployment md = client.resources(ModelDeployment.class).inNamespace("ml").withName(name).get();
            return md != null && md.getStatus() != null && controller.idle();
        });
    }

    static ModelDeploymentController controller(KubernetesClient client, String identity, Duration lease) {
        return controller(client, identity, lease, ObjectWriter.getAndUpdate(client));
    }

    static ModelDeploymentController controller(KubernetesClient client, String identity, Duration lease,
            ObjectWriter writer) {
        ControllerOptions options = new ControllerOptions(identity, "modelgate-system", "modelgate-controller-leader",
                lease, lease.multipliedBy(3).dividedBy(4), lease.dividedBy(8), 1);
        Clock clock = Clock.systemUTC();
        return new ModelDeploymentController(client, options,
                new ModelDeploymentReconciler(ControllerSettings.defaults(), clock),
                new ReconcileExecutor(client, writer, clock),
                new WorkQueue<>(System::nanoTime, new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1))));
    }
}
