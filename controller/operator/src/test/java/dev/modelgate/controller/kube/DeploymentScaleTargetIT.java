package dev.modelgate.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.autoscaler.spi.ScaleTarget;
import dev.modelgate.autoscaler.spi.ScaleTargetCompatibilityKit;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The Deployment scaler passes the autoscaler's compatibility kit against fabric8's mock API server, whose
 * {@code scale} subresource updates {@code spec.replicas} (checked below). The mock runs no Deployment controller,
 * so {@link #settle} plays it: the pods asked for become ready.
 */
@EnableKubernetesMockClient(crud = true)
class DeploymentScaleTargetIT extends ScaleTargetCompatibilityKit {

    private static final AtomicInteger NAMES = new AtomicInteger();

    static KubernetesClient client;

    @Override
    protected ScaleTarget create() {
        String name = "rev-" + NAMES.incrementAndGet();
        client.apps().deployments().inNamespace("ml").resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace("ml").endMetadata()
                .withNewSpec().withReplicas(0).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("runtime").withImage("modelgate").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        return new DeploymentScaleTarget(client, "ml", name, System::nanoTime);
    }

    @Override
    protected void settle(ScaleTarget target) {
        String name = target.toString().substring(target.toString().lastIndexOf('/') + 1);
        Deployment d = client.apps().deployments().inNamespace("ml").withName(name).get();
        int asked = d.getSpec().getReplicas();
        MockCluster.podsReady(client, "ml", name, asked);
    }

    @Test
    void writesThroughTheScaleSubresource() {
        ScaleTarget target = create();
        String name = target.toString().substring(target.toString().lastIndexOf('/') + 1);
        target.scaleTo(4);
        assertThat(client.apps().deployments().inNamespace("ml").withName(name).scale().getSpec().getReplicas())
                .isEqualTo(4);
        assertThat(client.apps().deployments().inNamespace("ml").withName(name).get().getSpec().getReplicas())
                .isEqualTo(4);
        assertThat(target.pending()).isEqualTo(4);
    }
}
