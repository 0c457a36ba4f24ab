package dev.modelgate.controller.deploy;

import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.crd.ModelDeploymentSpec;
import dev.modelgate.controller.crd.ModelFormat;
import dev.modelgate.controller.crd.ModelSpec;
import dev.modelgate.controller.crd.RolloutSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Writes a {@link DeployRequest} into its ModelDeployment and follows the status. An existing deployment gets a JSON
 * merge patch of only the fields the request sets (its format, resources and everything else stay as they are); the
 * controller's own reconcile turns the changed {@code model.uri} into a canary, so this is the same path a person with
 * {@code kubectl patch} takes. Merge patch rather than server-side apply because the mock API server in the tests (and
 * some admission chains) reject apply.
 */
final class Deployer {

    /** The verbs on {@code modeldeployments} this needs; the pipeline runner's Role grants exactly these. */
    static final List<String> VERBS = List.of("get", "create", "patch", "list", "watch");

    private final KubernetesClient client;

    Deployer(KubernetesClient client) {
        this.client = client;
    }

    /** The result of a write: the object as the API server returned it. */
    ModelDeployment apply(DeployRequest request) {
        Resource<ModelDeployment> resource = resource(request);
        if (resource.get() == null) {
            if (request.format() == null) {
                throw new DeployException("--format: null (expected: a model format such as onnx to create"
                        + " ModelDeployment " + request.namespace() + "/" + request.name() + ")");
            }
            try {
                return client.resource(created(request)).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                // Created meanwhile (a retried pipeline step): patch it like an existing one.
            }
        }
        String patch = client.getKubernetesSerialization().asJson(Map.of("spec", patch(request)));
        return resource.patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    /** Follows the status until the written generation's rollout ends or the timeout passes. */
    Result await(DeployRequest request, long generation) {
        try {
            ModelDeployment done = resource(request).waitUntilCondition(
                    md -> DeployOutcome.of(md, generation).isPresent(), request.timeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            return new Result(DeployOutcome.of(done, generation).orElseThrow(), done);
        } catch (KubernetesClientTimeoutException e) {
            return new Result(DeployOutcome.TIMEOUT, resource(request).get());
        }
    }

    /**
     * An outcome and the ModelDeployment it was read from.
     *
     * @param outcome how it ended
     * @param deployment the last seen object
     */
    record Result(DeployOutcome outcome, ModelDeployment deployment) {

        /** The revision serving now (the stable one), or empty. */
        String revision() {
            return deployment == null || deployment.getStatus() == null
                    || deployment.getStatus().stableRevision() == null ? "" : deployment.getStatus().stableRevision();
        }
    }

    private Resource<ModelDeployment> resource(DeployRequest request) {
        return client.resources(ModelDeployment.class).inNamespace(request.namespace()).withName(request.name());
    }

    private ModelDeployment created(DeployRequest request) {
        ModelDeployment md = new ModelDeployment();
        md.setMetadata(new ObjectMetaBuilder().withNamespace(request.namespace()).withName(request.name()).build());
        RolloutSpec rollout = request.rollout() == null ? null
                : client.getKubernetesSerialization().convertValue(request.rollout(), RolloutSpec.class);
        md.setSpec(new ModelDeploymentSpec(new ModelSpec(new ModelFormat(request.format(), request.formatVersion()),
                request.modelUri(), null, null), null, null, null, null, null, null, null, null, null,
                request.canaryPercent(), rollout, null));
        return md;
    }

    private static Map<String, Object> patch(DeployRequest request) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("uri", request.modelUri());
        if (request.format() != null) {
            Map<String, Object> format = new LinkedHashMap<>();
            format.put("name", request.format());
            if (request.formatVersion() != null) {
                format.put("version", request.formatVersion());
            }
            model.put("format", format);
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("model", model);
        if (request.canaryPercent() != null) {
            spec.put("canaryTrafficPercent", request.canaryPercent());
        }
        if (request.rollout() != null) {
            spec.put("rollout", request.rollout());
        }
        return spec;
    }
}
