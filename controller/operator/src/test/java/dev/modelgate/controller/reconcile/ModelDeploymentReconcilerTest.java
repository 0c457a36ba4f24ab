package dev.modelgate.controller.reconcile;

import static dev.modelgate.controller.reconcile.Fixtures.T0;
import static dev.modelgate.controller.reconcile.Fixtures.applied;
import static dev.modelgate.controller.reconcile.Fixtures.at;
import static dev.modelgate.controller.reconcile.Fixtures.md;
import static dev.modelgate.controller.reconcile.Fixtures.named;
import static dev.modelgate.controller.reconcile.Fixtures.observe;
import static dev.modelgate.controller.reconcile.Fixtures.onnx;
import static dev.modelgate.controller.reconcile.Fixtures.ready;
import static dev.modelgate.controller.reconcile.Fixtures.routing;
import static dev.modelgate.controller.reconcile.Fixtures.spec;
import static dev.modelgate.controller.reconcile.Fixtures.withStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.crd.ModelDeploymentSpec;
import dev.modelgate.controller.crd.ModelDeploymentStatus;
import dev.modelgate.controller.crd.ModelFormat;
import dev.modelgate.controller.crd.ModelSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelDeploymentReconcilerTest {

    private static final ControllerSettings SETTINGS = ControllerSettings.defaults();

    private static Reconcile reconcile(ModelDeployment md, List<? extends HasMetadata> cluster) {
        return new ModelDeploymentReconciler(SETTINGS, at(T0)).reconcile(observe(md, cluster));
    }

    private static Condition condition(ModelDeploymentStatus status, String type) {
        return status.conditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    @Test
    void cpuDeploymentBecomesRuntimePodsHeadlessServiceModelConfigAndRoutingTable() {
        ModelDeployment md = md("iris", spec(onnx("s3://models/iris/1")));

        Reconcile r = reconcile(md, List.of());

        Deployment d = named(r.desired(), Deployment.class, "iris-00001");
        assertThat(d.getSpec().getReplicas()).isEqualTo(1);
        Container fetch = d.getSpec().getTemplate().getSpec().getInitContainers().get(0);
        assertThat(fetch.getImage()).isEqualTo("modelgate:onnx-runtime");
        assertThat(fetch.getArgs()).containsExactly("fetch-model", "--uri", "s3://models/iris/1",
                "--dest", "/mnt/models/iris/1");
        Container runtime = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(runtime.getImage()).isEqualTo(fetch.getImage());
        assertThat(runtime.getArgs()).containsExactly("runtime", "--model-repository", "/mnt/models",
                "--http-port", "8080", "--grpc-port", "8081");
        assertThat(runtime.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/ready");
        assertThat(runtime.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
        assertThat(d.getSpec().getTemplate().getSpec().getTolerations()).isEmpty();
        assertThat(d.getMetadata().getAnnotations()).containsEntry(Names.MODEL_URI_ANNOTATION, "s3://models/iris/1");

        Service service = named(r.desired(), Service.class, "iris-00001");
        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(service.getSpec().getSelector()).isEqualTo(d.getSpec().getSelector().getMatchLabels());

        ConfigMap model = named(r.desired(), ConfigMap.class, "iris-00001-model");
        assertThat(model.getData().get("model.yaml")).contains("runtime: onnx\n", "device: cpu\n");

        assertThat(r.desired()).allSatisfy(o -> assertThat(o.getMetadata().getOwnerReferences())
                .singleElement().satisfies(owner -> {
                    assertThat(owner.getKind()).isEqualTo("ModelDeployment");
                    assertThat(owner.getUid()).isEqualTo("uid-iris");
                    assertThat(owner.getController()).isTrue();
                }));
        assertThat(routing(r, "iris")).isEqualTo(Map.of("services", List.of(Map.of(
                "name", "iris",
                "revisions", List.of(Map.of("name", "iris-00001", "model", "iris", "version", "1",
                        "endpoints-from", Map.of("namespace", "ml", "service", "iris-00001", "port", "http"))),
                "traffic", Map.of("weights", Map.of("iris-00001", 100))))));
        assertThat(named(r.desired(), ConfigMap.class, "iris-routes").getData().get("services.yaml"))
                .startsWith("# Routing table of ModelDeployment ml/iris").contains("endpoints-from:");

        ModelDeploymentStatus status = r.status().orElseThrow();
        assertThat(status.stableRevision()).isEqualTo("iris-00001");
        assertThat(status.canaryRevision()).isNull();
        assertThat(status.url()).isEqualTo(SETTINGS.gatewayUrl() + "/v2/models/iris");
        assertThat(status.observedGeneration()).isEqualTo(1L);
        assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
        assertThat(r.events()).extracting(Reconcile.ControllerEvent::reason).containsExactly("RevisionCreated");
        assertThat(r.deletions()).isEmpty();
    }

    @Test
    void readyPodsMakeTheDeploymentReadyAndAReRunChangesNothing() {
        ModelDeployment md = md("iris", spec(onnx("s3://models/iris/1")));
        Reconcile first = reconcile(md, List.of());
        List<HasMetadata> cluster = ready(applied(List.of(), first), "iris-00001", 1);

        Reconcile second = reconcile(withStatus(md, first), cluster);
        Reconcile third = reconcile(withStatus(md, second), applied(cluster, second));

        assertThat(condition(second.status().orElseThrow(), "Ready").getStatus()).isEqualTo("True");
        assertThat(third.status()).isEqualTo(second.status());
        assertThat(third.desired()).extracting(o -> o.getMetadata().getAnnotations().get(Names.SPEC_HASH_ANNOTATION))
                .isEqualTo(second.desired().stream()
                        .map(o -> o.getMetadata().getAnnotations().get(Names.SPEC_HASH_ANNOTATION)).toList());
        assertThat(third.events()).isEmpty();
    }

    @Test
    void gpuRevisionGetsTheGpuLimitNodeSelectorTolerationsAndGpuDevice() {
        ModelDeploymentSpec spec = new ModelDeploymentSpec(onnx("pvc://models/resnet/7"),
                new ResourceRequirementsBuilder().addToLimits("nvidia.com/gpu", new Quantity("1"))
                        .addToLimits("memory", new Quantity("8Gi")).build(),
                Map.of("nvidia.com/gpu.present", "true"),
                List.of(new TolerationBuilder().withKey("dedicated").withOperator("Equal").withValue("ml")
                        .withEffect("NoSchedule").build()),
                null, null, null, null, null, null, null, null, null);

        Reconcile r = reconcile(md("resnet", spec), List.of());

        Deployment d = named(r.desired(), Deployment.class, "resnet-00001");
        var pod = d.getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers().get(0).getResources().getLimits())
                .containsEntry("nvidia.com/gpu", new Quantity("1")).containsEntry("memory", new Quantity("8Gi"));
        assertThat(pod.getNodeSelector()).containsEntry("nvidia.com/gpu.present", "true");
        assertThat(pod.getTolerations()).extracting(t -> t.getKey() + ":" + t.getEffect())
                .containsExactly("dedicated:NoSchedule", "nvidia.com/gpu:NoSchedule");
        assertThat(named(r.desired(), ConfigMap.class, "resnet-00001-model").getData().get("model.yaml"))
                .contains("device: gpu\n");
        assertThat(pod.getInitContainers()).as("pvc:// is mounted, not fetched").isEmpty();
        assertThat(pod.getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null).singleElement()
                .satisfies(v -> {
            assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("models");
            assertThat(v.getPersistentVolumeClaim().getReadOnly()).isTrue();
        });
        assertThat(pod.getContainers().get(0).getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo("/mnt/models/resnet/1");
            assertThat(m.getSubPath()).isEqualTo("resnet/7");
        });
    }

    @Test
    void changedUriBecomesADarkCanaryThenGetsItsPercentWhenReadyThenIsPromotedAndTheOldRevisionDrains() {
        ModelDeployment md = md("iris", spec(onnx("s3://models/iris/1")));
        Reconcile first = reconcile(md, List.of());
        List<HasMetadata> cluster = ready(applied(List.of(), first), "iris-00001", 2);
        md = withStatus(md, reconcile(withStatus(md, first), cluster));

        ModelDeployment canary = withSpec(md, withCanary(onnx("s3://models/iris/2"), 10));
        Reconcile dark = reconcile(canary, cluster);
        assertThat(weights(dark)).isEqualTo(Map.of("iris-00001", 100, "iris-00002", 0));
        assertThat(named(dark.desired(), Deployment.class, "iris-00002").getSpec().getReplicas()).isEqualTo(1);
        assertThat(named(dark.desired(), Deployment.class, "iris-00001").getMetadata().getAnnotations())
                .as("the stable revision keeps its model").containsEntry(Names.MODEL_URI_ANNOTATION,
                        "s3://models/iris/1");
        ModelDeploymentStatus darkStatus = dark.status().orElseThrow();
        assertThat(darkStatus.canaryRevision()).isEqualTo("iris-00002");
        assertThat(condition(darkStatus, "RolloutProgressing").getReason()).isEqualTo("WaitingForCanaryPods");
        assertThat(dark.events()).extracting(Reconcile.ControllerEvent::reason).containsExactly("RevisionCreated");

        cluster = ready(applied(cluster, dark), "iris-00002", 1);
        canary = withStatus(canary, dark);
        Reconcile split = reconcile(canary, cluster);
        assertThat(weights(split)).isEqualTo(Map.of("iris-00001", 90, "iris-00002", 10));
        assertThat(split.status().orElseThrow().revisions()).extracting(r -> r.name() + "=" + r.trafficPercent())
                .containsExactly("iris-00001=90", "iris-00002=10");

        ModelDeployment promote = withStatus(withSpec(canary, spec(onnx("s3://models/iris/2"))), split);
        Reconcile promoted = reconcile(promote, cluster);
        ModelDeploymentStatus after = promoted.status().orElseThrow();
        assertThat(after.stableRevision()).isEqualTo("iris-00002");
        assertThat(after.previousStableRevision()).isEqualTo("iris-00001");
        assertThat(after.canaryRevision()).isNull();
        assertThat(condition(after, "RolloutSucceeded").getStatus()).isEqualTo("True");
        assertThat(weights(promoted)).isEqualTo(Map.of("iris-00002", 100));
        assertThat(named(promoted.desired(), Deployment.class, "iris-00001").getMetadata().getAnnotations())
                .containsEntry(Names.RETIRED_AT_ANNOTATION, T0.toString());
        assertThat(promoted.deletions()).isEmpty();
        assertThat(promoted.requeueAfter()).contains(SETTINGS.drainPeriod());
        assertThat(promoted.events()).extracting(Reconcile.ControllerEvent::reason)
                .containsExactly("Promoted", "RevisionRetired");

        cluster = applied(cluster, promoted);
        Reconcile drained = new ModelDeploymentReconciler(SETTINGS, at(T0.plus(SETTINGS.drainPeriod())))
                .reconcile(observe(withStatus(promote, promoted), cluster));
        assertThat(drained.deletions()).containsExactlyInAnyOrder(
                new Reconcile.ObjectKey("Deployment", "ml", "iris-00001"),
                new Reconcile.ObjectKey("Service", "ml", "iris-00001"),
                new Reconcile.ObjectKey("ConfigMap", "ml", "iris-00001-model"));
        assertThat(drained.status().orElseThrow().revisions()).extracting(r -> r.name())
                .containsExactly("iris-00002");
    }

    @Test
    void canaryTrafficPercentZeroRollsBackAndScalesTheCanaryDown() {
        ModelDeployment md = md("iris", spec(onnx("s3://models/iris/1")));
        Reconcile first = reconcile(md, List.of());
        List<HasMetadata> cluster = ready(applied(List.of(), first), "iris-00001", 1);
        md = withStatus(md, reconcile(withStatus(md, first), cluster));

        Reconcile r = reconcile(withSpec(md, withCanary(onnx("s3://models/iris/2"), 0)),
                ready(applied(cluster, reconcile(withSpec(md, withCanary(onnx("s3://models/iris/2"), 50)), cluster)),
                        "iris-00002", 1));

        assertThat(weights(r)).isEqualTo(Map.of("iris-00001", 100, "iris-00002", 0));
        assertThat(named(r.desired(), Deployment.class, "iris-00002").getSpec().getReplicas()).isZero();
        ModelDeploymentStatus status = r.status().orElseThrow();
        assertThat(condition(status, "RolloutAborted").getStatus()).isEqualTo("True");
        assertThat(condition(status, "RolloutProgressing").getStatus()).isEqualTo("False");
        assertThat(status.stableRevision()).isEqualTo("iris-00001");
    }

    @Test
    void aRolloutBlockHandsTheCanaryToTheGatewayAtZeroPercent() {
        ModelDeployment md = md("iris", spec(onnx("s3://models/iris/1")));
        Reconcile first = reconcile(md, List.of());
        List<HasMetadata> cluster = ready(applied(List.of(), first), "iris-00001", 1);
        md = withStatus(md, reconcile(withStatus(md, first), cluster));
        ModelDeploymentSpec spec = new ModelDeploymentSpec(onnx("s3://models/iris/2"), null, null, null, null, null,
                null, null, null, null, null,
                new dev.modelgate.controller.crd.RolloutSpec(null, 10, 50, "1m", Map.of("min-samples", 100)), null);
        List<HasMetadata> withCanary = ready(applied(cluster, reconcile(withSpec(md, spec), cluster)), "iris-00002", 1);

        Reconcile r = reconcile(withSpec(md, spec), withCanary);

        @SuppressWarnings("unchecked")
        Map<String, Object> service = ((List<Map<String, Object>>) routing(r, "iris").get("services")).get(0);
        assertThat(service.get("rollout")).isEqualTo(Map.of("baseline", "iris-00001", "candidate", "iris-00002",
                "step-weight", 10, "max-weight", 50, "interval", "1m", "judge", Map.of("min-samples", 100)));
        assertThat(weights(r)).isEqualTo(Map.of("iris-00001", 100, "iris-00002", 0));
        assertThat(condition(r.status().orElseThrow(), "RolloutProgressing").getReason()).isEqualTo("GatewayRollout");
    }

    @Test
    void theGatewayGetsTheRolloutOnlyOnceACanaryPodIsReady() {
        ModelDeployment md = md("iris", spec(onnx("s3://models/iris/1")));
        Reconcile first = reconcile(md, List.of());
        List<HasMetadata> cluster = ready(applied(List.of(), first), "iris-00001", 1);
        md = withStatus(md, reconcile(withStatus(md, first), cluster));
        ModelDeploymentSpec spec = new ModelDeploymentSpec(onnx("s3://models/iris/2"), null, null, null, null, null,
                null, null, null, null, null,
                new dev.modelgate.controller.crd.RolloutSpec(null, 10, 50, "1m", Map.of("min-samples", 100)), null);
        List<HasMetadata> loading = applied(cluster, reconcile(withSpec(md, spec), cluster));

        Reconcile r = reconcile(withSpec(md, spec), loading);

        @SuppressWarnings("unchecked")
        Map<String, Object> service = ((List<Map<String, Object>>) routing(r, "iris").get("services")).get(0);
        assertThat(service).doesNotContainKey("rollout");
        assertThat(weights(r)).isEqualTo(Map.of("iris-00001", 100, "iris-00002", 0));
        assertThat(condition(r.status().orElseThrow(), "RolloutProgressing").getReason())
                .isEqualTo("WaitingForCanaryPods");
    }

    @Test
    void explicitRevisionsSplitTrafficAndANotReadyRevisionGetsNothing() {
        ModelDeploymentSpec spec = new ModelDeploymentSpec(onnx("s3://models/iris/1"), null, null, null, null, null,
                null, null, null, List.of(new dev.modelgate.controller.crd.RevisionSpec("a", null, 75),
                        new dev.modelgate.controller.crd.RevisionSpec("b", onnx("s3://models/iris/2"), 25)),
                null, null, null);
        ModelDeployment md = md("iris", spec);
        List<HasMetadata> cluster = applied(List.of(), reconcile(md, List.of()));

        Reconcile onlyA = reconcile(md, ready(cluster, "iris-a", 1));
        assertThat(weights(onlyA)).isEqualTo(Map.of("iris-a", 100, "iris-b", 0));
        Reconcile both = reconcile(md, ready(cluster, "iris-b", 1));
        assertThat(weights(both)).isEqualTo(Map.of("iris-a", 75, "iris-b", 25));
        assertThat(both.status().orElseThrow().stableRevision()).isEqualTo("iris-a");
        assertThat(both.status().orElseThrow().canaryRevision()).isEqualTo("iris-b");
        assertThat(named(both.desired(), Deployment.class, "iris-b").getMetadata().getAnnotations())
                .containsEntry(Names.MODEL_URI_ANNOTATION, "s3://models/iris/2");
    }

    @Test
    void movingTheLargestShareToAnotherExplicitRevisionPromotesItAndAShadowIsRouted() {
        ModelDeploymentSpec before = explicit(90, 10, null);
        ModelDeployment md = md("iris", before);
        Reconcile first = reconcile(md, List.of());
        List<HasMetadata> cluster = ready(ready(applied(List.of(), first), "iris-a", 1), "iris-b", 1);
        md = withStatus(md, reconcile(withStatus(md, first), cluster));
        assertThat(md.getStatus().stableRevision()).isEqualTo("iris-a");

        Reconcile r = reconcile(withSpec(md, explicit(10, 90,
                new dev.modelgate.controller.crd.ShadowSpec("a", 50))), cluster);

        assertThat(r.status().orElseThrow().stableRevision()).isEqualTo("iris-b");
        assertThat(r.status().orElseThrow().previousStableRevision()).isEqualTo("iris-a");
        assertThat(r.events()).extracting(Reconcile.ControllerEvent::reason).containsExactly("Promoted");
        @SuppressWarnings("unchecked")
        Map<String, Object> traffic = (Map<String, Object>) ((List<Map<String, Object>>) routing(r, "iris")
                .get("services")).get(0).get("traffic");
        assertThat(traffic.get("shadow")).isEqualTo(Map.of("revision", "iris-a", "percent", 50));
    }

    @Test
    void minReplicasZeroMarksRevisionsForTheGatewaysActivatorAndTheyKeepTheirShareAtZero() {
        ModelDeploymentSpec spec = new ModelDeploymentSpec(onnx("s3://models/iris/1"), null, null, null, 0, 3,
                null, null, null, List.of(new dev.modelgate.controller.crd.RevisionSpec("a", null, 75),
                        new dev.modelgate.controller.crd.RevisionSpec("b", onnx("s3://models/iris/2"), 25)),
                null, null, null);
        ModelDeployment md = md("iris", spec);
        List<HasMetadata> cluster = applied(List.of(), reconcile(md, List.of()));
        setReplicas(cluster, 0);

        Reconcile onlyA = reconcile(md, ready(cluster, "iris-a", 1));

        assertThat(weights(onlyA)).as("b has no pod but the gateway wakes it").isEqualTo(Map.of("iris-a", 75, "iris-b", 25));
        assertThat(zeroMarks(onlyA)).containsExactly(true, true);
        assertThat(named(onlyA.desired(), Deployment.class, "iris-b").getSpec().getReplicas())
                .as("the autoscaler's zero stands inside [0, 3]").isZero();

        ModelDeployment single = md("iris", bounds(0, 3));
        List<HasMetadata> one = applied(List.of(), reconcile(single, List.of()));
        setReplicas(one, 0);
        Reconcile atZero = reconcile(single, one);
        assertThat(named(atZero.desired(), Deployment.class, "iris-00001").getSpec().getReplicas()).isZero();
        assertThat(weights(atZero)).isEqualTo(Map.of("iris-00001", 100));
        assertThat(zeroMarks(atZero)).containsExactly(true);
        assertThat(zeroMarks(reconcile(withSpec(single, bounds(1, 3)), one))).as("minReplicas 1: never at zero")
                .containsOnlyNulls();
        assertThat(replicas(withSpec(single, bounds(1, 3)), one)).as("and the reconcile's clamp brings a pod back")
                .isEqualTo(1);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> zeroMarks(Reconcile r) {
        List<Map<String, Object>> revisions = (List<Map<String, Object>>) ((List<Map<String, Object>>) routing(r,
                "iris").get("services")).get(0).get("revisions");
        return revisions.stream().map(m -> m.get("scale-to-zero")).toList();
    }

    private static ModelDeploymentSpec explicit(int a, int b, dev.modelgate.controller.crd.ShadowSpec shadow) {
        return new ModelDeploymentSpec(onnx("s3://models/iris/1"), null, null, null, null, null, null, null, null,
                List.of(new dev.modelgate.controller.crd.RevisionSpec("a", null, a),
                        new dev.modelgate.controller.crd.RevisionSpec("b", onnx("s3://models/iris/2"), b)),
                null, null, shadow);
    }

    @Test
    void scaleChangesMoveReplicasIntoTheBoundsButKeepTheAutoscalersChoiceInside() {
        ModelDeployment md = md("iris", spec(onnx("s3://models/iris/1")));
        List<HasMetadata> cluster = applied(List.of(), reconcile(md, List.of()));

        assertThat(replicas(withSpec(md, bounds(3, 8)), cluster)).isEqualTo(3);
        setReplicas(cluster, 5);
        assertThat(replicas(withSpec(md, bounds(3, 8)), cluster)).isEqualTo(5);
        setReplicas(cluster, 10);
        assertThat(replicas(withSpec(md, bounds(3, 8)), cluster)).isEqualTo(8);
    }

    @Test
    void aDeploymentBeingDeletedIsLeftToTheGarbageCollector() {
        ModelDeployment md = md("iris", spec(onnx("s3://models/iris/1")));
        List<HasMetadata> cluster = applied(List.of(), reconcile(md, List.of()));
        md.getMetadata().setDeletionTimestamp(T0.toString());

        Reconcile r = reconcile(md, cluster);

        assertThat(r).isEqualTo(Reconcile.nothing());
    }

    @Test
    void theFormatPicksTheRuntimeImageAndEngineAndAnUnservedFormatTouchesNothing() {
        ModelDeployment torch = md("bert", spec(new ModelSpec(new ModelFormat("pytorch", "1"), "s3://m/bert", null,
                null)));

        Reconcile r = reconcile(torch, List.of());

        assertThat(named(r.desired(), Deployment.class, "bert-00001").getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage()).isEqualTo("modelgate:djl-runtime");
        assertThat(named(r.desired(), ConfigMap.class, "bert-00001-model").getData().get("model.yaml"))
                .contains("runtime: djl\n");

        ModelDeployment tf = md("tf", spec(new ModelSpec(new ModelFormat("tensorflow", "2"), "s3://m/tf", null,
                null)));
        Reconcile none = reconcile(tf, List.of());
        assertThat(none.desired()).isEmpty();
        assertThat(condition(none.status().orElseThrow(), "Ready").getReason()).isEqualTo("NoSupportingRuntime");
        assertThat(none.events()).singleElement().satisfies(e -> assertThat(e.reason())
                .isEqualTo("NoSupportingRuntime"));
    }

    @Test
    void anInvalidSpecReportsEveryProblemAndTouchesNothing() {
        ModelDeploymentSpec spec = new ModelDeploymentSpec(new ModelSpec(new ModelFormat("onnx", null),
                "pvc://claim/../etc", null, "v9"), null, null, null, 4, 2, null, null, null, null, 120, null, null);

        Reconcile r = reconcile(md("iris", spec), List.of());

        assertThat(r.desired()).isEmpty();
        assertThat(r.deletions()).isEmpty();
        Condition ready = condition(r.status().orElseThrow(), "Ready");
        assertThat(ready.getReason()).isEqualTo("InvalidSpec");
        assertThat(ready.getMessage()).contains(
                "model.uri: pvc://claim/../etc (expected: a path inside the claim, without '..')",
                "model.protocolVersion: v9 (expected: v2 or grpc-v2)",
                "maxReplicas: 2 (expected: >= max(minReplicas, 1))",
                "canaryTrafficPercent: 120 (expected: 0..100)");
        assertThat(r.events()).singleElement().satisfies(e -> assertThat(e.warning()).isTrue());
    }

    private static Map<String, Object> weights(Reconcile r) {
        @SuppressWarnings("unchecked")
        Map<String, Object> service = ((List<Map<String, Object>>) routing(r, "iris").get("services")).get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> traffic = (Map<String, Object>) service.get("traffic");
        @SuppressWarnings("unchecked")
        Map<String, Object> weights = (Map<String, Object>) traffic.get("weights");
        return weights;
    }

    private static ModelDeploymentSpec withCanary(ModelSpec model, int percent) {
        return new ModelDeploymentSpec(model, null, null, null, null, null, null, null, null, null, percent, null,
                null);
    }

    private static ModelDeploymentSpec bounds(int min, int max) {
        return new ModelDeploymentSpec(onnx("s3://models/iris/1"), null, null, null, min, max, null, null, null,
                null, null, null, null);
    }

    private static ModelDeployment withSpec(ModelDeployment md, ModelDeploymentSpec spec) {
        ModelDeployment copy = WorkloadFactory.SERIALIZATION.clone(md);
        copy.setSpec(spec);
        copy.getMetadata().setGeneration(md.getMetadata().getGeneration() + 1);
        return copy;
    }

    private static int replicas(ModelDeployment md, List<HasMetadata> cluster) {
        return named(reconcile(md, cluster).desired(), Deployment.class, "iris-00001").getSpec().getReplicas();
    }

    private static void setReplicas(List<HasMetadata> cluster, int replicas) {
        Fixtures.only(cluster, Deployment.class).forEach(d -> d.getSpec().setReplicas(replicas));
    }

}
