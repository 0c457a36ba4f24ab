package dev.modelgate.controller.promotion.kube;

import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.crd.ModelDeploymentSpec;
import dev.modelgate.controller.crd.ModelFormat;
import dev.modelgate.controller.crd.ModelSpec;
import dev.modelgate.controller.promotion.SourceKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The mock API server as a cluster with Kubeflow installed: our CRDs, and stub CRDs for the Kubeflow kinds
 * (preserve-unknown schema, status subresource), as the reference describes; the tests play the training operators
 * by writing the jobs' status themselves.
 */
public final class KubeflowStubs {

    private static final Path CRDS = Path.of("../../deploy/kubernetes/base/crds");

    private KubeflowStubs() {
    }

    public static void installModelgate(KubernetesClient client) throws IOException {
        for (String file : List.of("modeldeployments.serving.modelgate.dev-v1.yml",
                "modelpromotions.serving.modelgate.dev-v1.yml")) {
            try (InputStream in = Files.newInputStream(CRDS.resolve(file))) {
                client.apiextensions().v1().customResourceDefinitions().load(in).createOr(c -> c.update());
            }
        }
    }

    public static void installKind(KubernetesClient client, SourceKind kind) {
        CustomResourceDefinition crd = new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(kind.crdName()).endMetadata()
                .withNewSpec().withGroup(kind.group()).withScope("Namespaced")
                .withNewNames().withKind(kind.kind()).withPlural(kind.plural())
                .withSingular(kind.kind().toLowerCase(java.util.Locale.ROOT)).endNames()
                .addNewVersion().withName(kind.version()).withServed(true).withStorage(true)
                .withNewSchema().withOpenAPIV3Schema(new JSONSchemaPropsBuilder().withType("object")
                        .withXKubernetesPreserveUnknownFields(true).build()).endSchema()
                .withNewSubresources().withNewStatus().endStatus().endSubresources()
                .endVersion()
                .endSpec().build();
        client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(c -> c.update());
    }

    public static ResourceDefinitionContext context(SourceKind kind) {
        return new ResourceDefinitionContext.Builder().withGroup(kind.group()).withVersion(kind.version())
                .withKind(kind.kind()).withPlural(kind.plural()).withNamespaced(true).build();
    }

    /** Creates a running job (no status yet) annotated with its model URI. */
    public static GenericKubernetesResource createJob(KubernetesClient client, SourceKind kind, String name,
            Map<String, String> annotations) {
        GenericKubernetesResource job = new GenericKubernetesResource();
        job.setApiVersion(kind.apiVersion());
        job.setKind(kind.kind());
        job.setMetadata(new ObjectMetaBuilder().withNamespace("ml").withName(name).withAnnotations(annotations)
                .build());
        job.setAdditionalProperty("spec", Map.of("runPolicy", Map.of("cleanPodPolicy", "None")));
        return client.genericKubernetesResources(context(kind)).inNamespace("ml").resource(job).create();
    }

    /** Plays the training operator: sets the job's status through the status subresource. */
    public static void setStatus(KubernetesClient client, SourceKind kind, String name, Map<String, Object> status) {
        GenericKubernetesResource job = client.genericKubernetesResources(context(kind)).inNamespace("ml")
                .withName(name).get();
        job.setAdditionalProperty("status", status);
        client.genericKubernetesResources(context(kind)).inNamespace("ml").resource(job).updateStatus();
    }

    public static ModelDeployment target(String name) {
        ModelDeployment md = new ModelDeployment();
        md.setMetadata(new ObjectMetaBuilder().withNamespace("ml").withName(name).build());
        md.setSpec(new ModelDeploymentSpec(new ModelSpec(new ModelFormat("onnx", "1"), "s3://models/" + name + "/1",
                null, null), null, null, null, null, null, null, null, null, null, null, null, null));
        return md;
    }
}
