package dev.modelgate.controller.kube;

import java.util.List;
import java.util.Set;

/**
 * Every API access the controller makes: resource and verbs. The one list that the code checks itself against
 * ({@link #require}) before each call, and that the manifest test checks the RBAC against, so the ClusterRole
 * grants exactly what the code uses.
 */
public enum Access {
    /** Informer and re-reads of ModelDeployments. */
    MODEL_DEPLOYMENTS("serving.modelgate.dev", "modeldeployments", true, "list", "watch"),
    /** Status writes through the status subresource. */
    MODEL_DEPLOYMENT_STATUS("serving.modelgate.dev", "modeldeployments/status", true, "update"),
    /** Informer of the runtime templates. */
    CLUSTER_MODEL_RUNTIMES("serving.modelgate.dev", "clustermodelruntimes", true, "list", "watch"),
    /** Runtime Deployments of each revision. */
    DEPLOYMENTS("apps", "deployments", true, "get", "list", "watch", "create", "update", "delete"),
    /** The autoscaler's reads and writes of a revision's replicas (the HPA's way: get, then update). */
    DEPLOYMENT_SCALE("apps", "deployments/scale", true, "get", "update"),
    /** The gateway pods to scrape for the autoscaler: its Service's EndpointSlices, in the controller's namespace. */
    ENDPOINT_SLICES("discovery.k8s.io", "endpointslices", false, "list"),
    /** Headless Services of each revision. */
    SERVICES("", "services", true, "get", "list", "watch", "create", "update", "delete"),
    /** Routing tables and model configs. */
    CONFIG_MAPS("", "configmaps", true, "get", "list", "watch", "create", "update", "delete"),
    /** Events on ModelDeployments. */
    EVENTS("", "events", true, "create"),
    /** The leader election lock, in the controller's own namespace. */
    LEASES("coordination.k8s.io", "leases", false, "get", "create", "update"),
    /** Informer of ModelPromotions. */
    MODEL_PROMOTIONS("serving.modelgate.dev", "modelpromotions", true, "list", "watch"),
    /** A promotion's status, through the status subresource. */
    MODEL_PROMOTION_STATUS("serving.modelgate.dev", "modelpromotions/status", true, "update"),
    /** A promotion writes the new model into its target ModelDeployment. */
    PROMOTION_TARGETS("serving.modelgate.dev", "modeldeployments", true, "update"),
    /** Which Kubeflow kinds are installed (their CRDs are probed periodically). */
    CUSTOM_RESOURCE_DEFINITIONS("apiextensions.k8s.io", "customresourcedefinitions", true, "get"),
    /** Promotion sources: Training Operator v1. */
    PYTORCH_JOBS("kubeflow.org", "pytorchjobs", true, "list", "watch"),
    /** Promotion sources: Training Operator v1. */
    TF_JOBS("kubeflow.org", "tfjobs", true, "list", "watch"),
    /** Promotion sources: Training Operator v1. */
    XGBOOST_JOBS("kubeflow.org", "xgboostjobs", true, "list", "watch"),
    /** Promotion sources: Training Operator v1. */
    JAX_JOBS("kubeflow.org", "jaxjobs", true, "list", "watch"),
    /** Promotion sources: Training Operator v1. */
    PADDLE_JOBS("kubeflow.org", "paddlejobs", true, "list", "watch"),
    /** Promotion sources: Training Operator v1. */
    MPI_JOBS("kubeflow.org", "mpijobs", true, "list", "watch"),
    /** Promotion sources: Kubeflow Trainer v2. */
    TRAIN_JOBS("trainer.kubeflow.org", "trainjobs", true, "list", "watch"),
    /** Promotion sources: Katib. */
    EXPERIMENTS("kubeflow.org", "experiments", true, "list", "watch");

    private final String group;
    private final String resource;
    private final boolean clusterWide;
    private final Set<String> verbs;

    Access(String group, String resource, boolean clusterWide, String... verbs) {
        this.group = group;
        this.resource = resource;
        this.clusterWide = clusterWide;
        this.verbs = Set.of(verbs);
    }

    /** The API group ({@code ""} for the core group). */
    public String group() {
        return group;
    }

    /** The resource (with {@code /status} for a subresource). */
    public String resource() {
        return resource;
    }

    /** Whether the access spans namespaces (a ClusterRole) or only the controller's namespace (a Role). */
    public boolean clusterWide() {
        return clusterWide;
    }

    /** The verbs the code uses. */
    public Set<String> verbs() {
        return verbs;
    }

    /** Fails when the code is about to use a verb that this list, and so the RBAC, does not grant. */
    public void require(String verb) {
        if (!verbs.contains(verb)) {
            throw new IllegalStateException("access: " + resource + " " + verb
                    + " (expected: one of " + verbs + "; add it to Access and to the RBAC manifests)");
        }
    }

    /** The access of a watched resource, by group and resource (the promotion sources are looked up so). */
    public static Access of(String group, String resource) {
        for (Access access : values()) {
            if (access.group.equals(group) && access.resource.equals(resource)) {
                return access;
            }
        }
        throw new IllegalStateException("access: " + group + "/" + resource
                + " (expected: listed in Access and in the RBAC manifests)");
    }

    /** All accesses. */
    public static List<Access> all() {
        return List.of(values());
    }
}
