package dev.modelgate.controller.reconcile;

import dev.modelgate.controller.crd.BatchingSpec;
import dev.modelgate.controller.crd.ClusterModelRuntimeSpec;
import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.crd.ModelDeploymentSpec;
import dev.modelgate.controller.crd.ModelSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders one revision into Kubernetes objects: a Deployment of {@code modelgate runtime} pods, a headless Service
 * (the gateway finds each pod through its EndpointSlices) and a ConfigMap with the runtime's {@code model.yaml}
 * (engine, device, batching: the runtime's own config file, so no new runtime flags are needed).
 *
 * <p>The model is fetched before the runtime starts by an init container running the same image's
 * {@code modelgate fetch-model}, into an emptyDir at {@code /mnt/models/<model>/1} (a Triton-layout repository with
 * one version); {@code pvc://<claim>/<path>} is mounted there read-only instead, as KServe does. Every object carries
 * a hash of its content so the executor writes only what changed, and an owner reference to the ModelDeployment.
 */
final class WorkloadFactory {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    static final String MODEL_ANNOTATION = ModelDeployment.GROUP + "/model";
    /** KServe's recognised GPU resources (constants.go); {@code nvidia.com/mig-*} counts too. */
    static final List<String> GPU_RESOURCES = List.of("nvidia.com/gpu", "amd.com/gpu", "intel.com/gpu",
            "habana.ai/gaudi");
    private static final String MODEL_STORE = "model-store";

    private final ControllerSettings settings;

    WorkloadFactory(ControllerSettings settings) {
        this.settings = settings;
    }

    List<HasMetadata> render(ModelDeployment md, PlannedRevision revision, ClusterModelRuntimeSpec runtime) {
        return List.of(deployment(md, revision, runtime), service(md, revision), modelConfig(md, revision, runtime));
    }

    Deployment deployment(ModelDeployment md, PlannedRevision revision, ClusterModelRuntimeSpec runtime) {
        ModelDeploymentSpec spec = md.getSpec();
        ResourceRequirements resources = resources(runtime.resources(), spec.resources());
        boolean gpu = gpu(resources);
        String modelDir = Names.MODEL_REPOSITORY + "/" + md.getMetadata().getName() + "/" + Names.MODEL_VERSION;
        Map<String, String> selector = selector(md, revision);
        Map<String, String> annotations = new TreeMap<>();
        annotations.put(Names.MODEL_URI_ANNOTATION, revision.model().uri());
        annotations.put(MODEL_ANNOTATION, SERIALIZATION.asJson(revision.model()));
        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName(MODEL_STORE).withNewEmptyDir().endEmptyDir().build());
        mounts.add(new VolumeMountBuilder().withName(MODEL_STORE).withMountPath(Names.MODEL_REPOSITORY).build());
        volumes.add(new VolumeBuilder().withName("model-config").withNewConfigMap()
                .withName(Names.modelConfig(revision.name())).endConfigMap().build());
        mounts.add(new VolumeMountBuilder().withName("model-config").withReadOnly(true).withSubPath(Names.MODEL_YAML_KEY)
                .withMountPath(Names.MODEL_REPOSITORY + "/" + md.getMetadata().getName() + "/" + Names.MODEL_YAML_KEY)
                .build());
        List<Container> init = new ArrayList<>();
        StorageUri uri = StorageUri.parse(revision.model().uri());
        if (uri.pvc()) {
            volumes.add(new VolumeBuilder().withName("model-pvc").withNewPersistentVolumeClaim()
                    .withClaimName(uri.claim()).withReadOnly(true).endPersistentVolumeClaim().build());
            mounts.add(new VolumeMountBuilder().withName("model-pvc").withReadOnly(true).withMountPath(modelDir)
                    .withSubPath(uri.path().isEmpty() ? null : uri.path()).build());
        } else {
            init.add(fetchModel(md, runtime, revision.model().uri(), modelDir));
        }
        Container container = new ContainerBuilder()
                .withName("runtime").withImage(runtime.image())
                .withArgs("runtime", "--model-repository", Names.MODEL_REPOSITORY,
                        "--http-port", String.valueOf(settings.httpPort()),
                        "--grpc-port", String.valueOf(settings.grpcPort()))
                .addNewPort().withName("http").withContainerPort(settings.httpPort()).endPort()
                .addNewPort().withName("grpc").withContainerPort(settings.grpcPort()).endPort()
                .withEnv(runtime.env())
                .withResources(resources)
                .withVolumeMounts(mounts)
                .withNewReadinessProbe().withNewHttpGet().withPath("/v2/health/ready").withNewPort("http")
                .endHttpGet().withPeriodSeconds(2).endReadinessProbe()
                .withNewLivenessProbe().withNewHttpGet().withPath("/v2/health/live").withNewPort("http")
                .endHttpGet().withPeriodSeconds(10).withFailureThreshold(6).endLivenessProbe()
                .build();
        Deployment deployment = new DeploymentBuilder()
                .withMetadata(meta(md, revision.name(), selector, annotations))
                .withNewSpec()
                .withReplicas(revision.replicas())
                .withNewSelector().withMatchLabels(selector).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(selector).endMetadata()
                .withNewSpec()
                .withInitContainers(init)
                .withContainers(container)
                .withVolumes(volumes)
                .withNodeSelector(merge(runtime.nodeSelector(), spec.nodeSelector()))
                .withTolerations(tolerations(runtime.tolerations(), spec.tolerations(), gpu))
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        return stamp(deployment, deployment.getSpec().getTemplate());
    }

    Service service(ModelDeployment md, PlannedRevision revision) {
        Map<String, String> selector = selector(md, revision);
        Service service = new ServiceBuilder()
                .withMetadata(meta(md, revision.name(), selector, new TreeMap<>()))
                .withNewSpec()
                .withClusterIP("None")
                .withSelector(selector)
                .addNewPort().withName("http").withPort(settings.httpPort()).withNewTargetPort("http").endPort()
                .addNewPort().withName("grpc").withPort(settings.grpcPort()).withNewTargetPort("grpc").endPort()
                .endSpec()
                .build();
        return stamp(service, service.getSpec());
    }

    ConfigMap modelConfig(ModelDeployment md, PlannedRevision revision, ClusterModelRuntimeSpec runtime) {
        boolean gpu = gpu(resources(runtime.resources(), md.getSpec().resources()));
        StringBuilder yaml = new StringBuilder()
                .append("# model.yaml of revision ").append(revision.name()).append(", written by ")
                .append(Names.MANAGER).append('\n')
                .append("runtime: ").append(runtime.engine()).append('\n')
                .append("device: ").append(gpu ? "gpu" : "cpu").append('\n');
        BatchingSpec batching = md.getSpec().batching();
        if (batching != null) {
            yaml.append("batching:\n");
            line(yaml, "max-batch-size", batching.maxBatchSize());
            line(yaml, "preferred-batch-sizes", batching.preferredBatchSizes());
            line(yaml, "max-queue-delay", batching.maxQueueDelayMicros());
            line(yaml, "max-queue-size", batching.maxQueueSize());
        }
        ConfigMap map = new ConfigMapBuilder()
                .withMetadata(meta(md, Names.modelConfig(revision.name()), selector(md, revision), new TreeMap<>()))
                .withData(Map.of(Names.MODEL_YAML_KEY, yaml.toString()))
                .build();
        return stamp(map, map.getData());
    }

    /** The model a revision was created with, recorded on its Deployment; null when absent or unreadable. */
    static ModelSpec recordedModel(Deployment deployment) {
        Map<String, String> annotations = deployment.getMetadata().getAnnotations();
        String json = annotations == null ? null : annotations.get(MODEL_ANNOTATION);
        if (json == null) {
            return null;
        }
        try {
            return SERIALIZATION.unmarshal(json, ModelSpec.class);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    static boolean gpu(ResourceRequirements resources) {
        Map<String, Quantity> limits = resources == null ? null : resources.getLimits();
        return limits != null && limits.keySet().stream()
                .anyMatch(k -> GPU_RESOURCES.contains(k) || k.startsWith("nvidia.com/mig"));
    }

    static OwnerReference owner(ModelDeployment md) {
        return new OwnerReferenceBuilder()
                .withApiVersion(md.getApiVersion()).withKind(md.getKind())
                .withName(md.getMetadata().getName()).withUid(md.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true)
                .build();
    }

    static ObjectMeta meta(ModelDeployment md, String name, Map<String, String> labels,
            Map<String, String> annotations) {
        Map<String, String> all = new TreeMap<>(labels);
        all.put(Names.MANAGED_BY_LABEL, Names.MANAGER);
        return new ObjectMetaBuilder()
                .withName(name).withNamespace(md.getMetadata().getNamespace())
                .withLabels(all).withAnnotations(annotations)
                .withOwnerReferences(owner(md))
                .build();
    }

    /** Sets the content hash annotation: the labels, annotations and the given content of the object. */
    static <T extends HasMetadata> T stamp(T object, Object content) {
        Map<String, String> annotations = new TreeMap<>(object.getMetadata().getAnnotations());
        annotations.remove(Names.SPEC_HASH_ANNOTATION);
        String text = SERIALIZATION.asJson(List.of(new TreeMap<>(object.getMetadata().getLabels()), annotations,
                content));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            annotations.put(Names.SPEC_HASH_ANNOTATION, HexFormat.of().formatHex(digest, 0, 8));
            object.getMetadata().setAnnotations(annotations);
            return object;
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-256 is required of every JVM", impossible);
        }
    }

    private Container fetchModel(ModelDeployment md, ClusterModelRuntimeSpec runtime, String uri, String dest) {
        ContainerBuilder fetch = new ContainerBuilder()
                .withName("fetch-model").withImage(runtime.image())
                .withArgs("fetch-model", "--uri", uri, "--dest", dest)
                .withVolumeMounts(new VolumeMountBuilder().withName(MODEL_STORE)
                        .withMountPath(Names.MODEL_REPOSITORY).build());
        Map<String, String> annotations = md.getMetadata().getAnnotations();
        String secret = annotations == null ? null : annotations.get(Names.STORAGE_SECRET_ANNOTATION);
        if (secret != null) {
            fetch.withEnvFrom(new EnvFromSourceBuilder().withNewSecretRef().withName(secret).endSecretRef().build());
        }
        return fetch.build();
    }

    private static Map<String, String> selector(ModelDeployment md, PlannedRevision revision) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(Names.DEPLOYMENT_LABEL, md.getMetadata().getName());
        labels.put(Names.REVISION_LABEL, revision.name());
        labels.put(Names.COMPONENT_LABEL, "runtime");
        return labels;
    }

    /** The deployment's own requests and limits win over the runtime's defaults, key by key. */
    static ResourceRequirements resources(ResourceRequirements defaults, ResourceRequirements own) {
        ResourceRequirements merged = new ResourceRequirements();
        merged.setRequests(merge(defaults == null ? null : defaults.getRequests(),
                own == null ? null : own.getRequests()));
        merged.setLimits(merge(defaults == null ? null : defaults.getLimits(), own == null ? null : own.getLimits()));
        return merged;
    }

    private static <V> Map<String, V> merge(Map<String, V> defaults, Map<String, V> own) {
        Map<String, V> merged = new TreeMap<>();
        if (defaults != null) {
            merged.putAll(defaults);
        }
        if (own != null) {
            merged.putAll(own);
        }
        return merged;
    }

    /** GPU nodes are usually tainted {@code nvidia.com/gpu:NoSchedule}; a GPU revision tolerates that taint. */
    private static List<Toleration> tolerations(List<Toleration> defaults, List<Toleration> own, boolean gpu) {
        Map<String, Toleration> byKey = new LinkedHashMap<>();
        for (List<Toleration> list : java.util.Arrays.asList(defaults, own)) {
            if (list != null) {
                list.forEach(t -> byKey.put(t.getKey() + "|" + t.getEffect(), t));
            }
        }
        if (gpu && byKey.keySet().stream().noneMatch(k -> k.startsWith("nvidia.com/gpu|"))) {
            byKey.put("nvidia.com/gpu|NoSchedule", new TolerationBuilder().withKey("nvidia.com/gpu")
                    .withOperator("Exists").withEffect("NoSchedule").build());
        }
        return new ArrayList<>(byKey.values());
    }

    private static void line(StringBuilder yaml, String key, Object value) {
        if (value != null) {
            yaml.append("  ").append(key).append(": ").append(value).append('\n');
        }
    }
}
