package dev.modelgate.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class LeaderElectionIT {

    static KubernetesClient client;
    static KubernetesMockServer server;

    private String holder() {
        Lease lease = client.leases().inNamespace("modelgate-system").withName("modelgate-controller-leader").get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    @Test
    void onlyTheLeaderActsAndLeadershipHandsOverWhenTheLeaderStops() throws Exception {
        MockCluster.install(client);
        KubernetesClient clientA = server.createClient();
        KubernetesClient clientB = server.createClient();
        ModelDeploymentController a = MockCluster.controller(clientA, "a", Duration.ofSeconds(4));
        ModelDeploymentController b = MockCluster.controller(clientB, "b", Duration.ofSeconds(4));
        try {
            a.start();
            await().atMost(Duration.ofSeconds(20)).until(a::isLeading);
            b.start();
            client.resource(MockCluster.md("ml", "one", "s3://models/one/1", null)).create();
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    client.apps().deployments().inNamespace("ml").withName("one-00001").get() != null);
            MockCluster.settle(client, a, "one");
            assertThat(b.isLeading()).isFalse();
            assertThat(holder()).isEqualTo("a");

            a.close();
            assertThat(a.stopped()).isDone();
            await().atMost(Duration.ofSeconds(20)).until(b::isLeading);
            assertThat(holder()).isEqualTo("b");

            client.resource(MockCluster.md("ml", "two", "s3://models/two/1", null)).create();
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    client.apps().deployments().inNamespace("ml").withName("two-00001").get() != null);
            MockCluster.settle(client, b, "two");
            assertThat(a.isLeading()).isFalse();
        } finally {
            a.close();
            b.close();
            clientA.close();
            clientB.close();
        }
    }
}
