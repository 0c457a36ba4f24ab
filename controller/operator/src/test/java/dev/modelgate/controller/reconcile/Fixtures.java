package dev.modelgate.controller.reconcile;

import dev.modelgate.controller.crd.ClusterModelRuntime;
import dev.modelgate.controller.crd.ClusterModelRuntimeSpec;
import dev.modelgate.controller.crd.ClusterModelRuntimeSpec.SupportedModelFormat;
import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.crd.ModelDeploymentSpec;
import dev.modelgate.controller.crd.ModelFormat;
import dev.modelgate.controller.crd.ModelSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;

/** Objects for the pure reconcile tests, and a stand-in for "the executor applied it and the pods came up". */
final class Fixtures {

    static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");

    private Fixtures() {
    }

    static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    static ModelSpec onnx(String uri) {
        return new ModelSpec(new ModelFormat("onnx", "1"), uri, null, null);
    }

    static ModelDeploymentSpec spec(ModelSpec model) {
        return new ModelDeploymentSpec(model, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    static ModelDeployment md(String name, ModelDeploymentSpec spec) {
        ModelDeployment md = new ModelDeployment();
        md.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ml").withUid("uid-" + name)
                .withGeneration(1L).build());
        md.setSpec(spec);
        return md;
    }

    static ClusterModelRuntime runtime(String name, String format, int priority, boolean autoSelect) {
        ClusterModelRuntime runtime = new ClusterModelRuntime();
        runtime.setMetadata(new ObjectMetaBuilder().withName(name).build());
        runtime.setSpec(new ClusterModelRuntimeSpec("modelgate:" + name, format.equals("pytorch") ? "djl" : "onnx",
                List.of(new SupportedModelFormat(format, "1", autoSelect, priority)), List.of("v2", "grpc-v2"),
                null, null, null, null, null));
        return runtime;
    }

    static List<ClusterModelRuntime> runtimes() {
        return List.of(runtime("onnx-runtime", "onnx", 1, true), runtime("djl-runtime", "pytorch", 1, true));
    }

    static Observed observe(ModelDeployment md, List<? extends HasMetadata> cluster) {
        return new Observed(md, runtimes(), only(cluster, Deployment.class), only(cluster, Service.class),
                only(cluster, ConfigMap.class));
    }

    /** The cluster after the executor applied a reconcile: desired objects exist, deleted ones are gone. */
    static List<HasMetadata> applied(List<? extends HasMetadata> before, Reconcile reconcile) {
        List<HasMetadata> after = new ArrayList<>();
        for (HasMetadata old : before) {
            boolean replaced = reconcile.desired().stream().anyMatch(d -> Reconcile.ObjectKey.of(d)
                    .equals(Reconcile.ObjectKey.of(old)));
            boolean deleted = reconcile.deletions().contains(Reconcile.ObjectKey.of(old));
            if (!replaced && !deleted) {
                after.add(old);
            }
        }
        for (HasMetadata desired : reconcile.desired()) {
            HasMetadata copy = WorkloadFactory.SERIALIZATION.clone(desired);
            before.stream().filter(o -> Reconcile.ObjectKey.of(o).equals(Reconcile.ObjectKey.of(desired)))
                    .findFirst().filter(Deployment.class::isInstance)
                    .ifPresent(o -> ((Deployment) copy).setStatus(((Deployment) o).getStatus()));
            after.add(copy);
        }
        return after;
    }

    /** Marks a revision's pods ready. */
    static List<HasMetadata> ready(List<HasMetadata> cluster, String revision, int pods) {
        for (HasMetadata o : cluster) {
            if (o instanceof Deployment d && d.getMetadata().getName().equals(revision)) {
                d.setStatus(new DeploymentStatusBuilder().withReadyReplicas(pods).withReplicas(pods).build());
            }
        }
        return cluster;
    }

    static ModelDeployment withStatus(ModelDeployment md, Reconcile reconcile) {
        ModelDeployment copy = WorkloadFactory.SERIALIZATION.clone(md);
        reconcile.status().ifPresent(copy::setStatus);
        return copy;
    }

    static <T> List<T> only(List<? extends HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> type, String name) {
        return only(objects, type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " in " + objects));
    }

    static Map<String, Object> routing(Reconcile reconcile, String deployment) {
        ConfigMap table = named(reconcile.desired(), ConfigMap.class, Names.routingTable(deployment));
        return WorkloadFactory.SERIALIZATION.unmarshal(table.getData().get(Names.ROUTING_TABLE_KEY),
                new TypeReference<Map<String, Object>>() { });
    }
}
