package dev.modelgate.controller.reconcile;

import dev.modelgate.controller.crd.ModelDeployment;

/**
 * The labels, annotations and fixed names the controller writes and reads back. One home, so the reconcile, the
 * executor, the informers and the manifests agree on every key.
 */
public final class Names {

    private static final String PREFIX = ModelDeployment.GROUP + "/";

    /** Label: the ModelDeployment an object belongs to. */
    public static final String DEPLOYMENT_LABEL = PREFIX + "deployment";
    /** Label: the revision a runtime object belongs to. */
    public static final String REVISION_LABEL = PREFIX + "revision";
    /** Label: marks the routing table ConfigMaps the gateway watches. */
    public static final String ROUTING_TABLE_LABEL = PREFIX + "routing-table";
    /** Label: who manages the object. */
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    /** The value of {@link #MANAGED_BY_LABEL}, also the field manager and event source. */
    public static final String MANAGER = "modelgate-controller";
    /** Label: what the object is. */
    public static final String COMPONENT_LABEL = "app.kubernetes.io/component";

    /** Annotation: the model URI a revision serves (how a revision is found again from its Deployment). */
    public static final String MODEL_URI_ANNOTATION = PREFIX + "model-uri";
    /** Annotation: when a revision left the routing table; it is deleted after the drain period. */
    public static final String RETIRED_AT_ANNOTATION = PREFIX + "retired-at";
    /** Annotation: a hash of the desired object, so unchanged objects are not written again. */
    public static final String SPEC_HASH_ANNOTATION = PREFIX + "spec-hash";
    /** Annotation on a ModelDeployment: the Secret holding the model store's credentials. */
    public static final String STORAGE_SECRET_ANNOTATION = PREFIX + "storage-secret";

    /** Where the runtime reads its model repository. */
    public static final String MODEL_REPOSITORY = "/mnt/models";
    /** The routing table's key in its ConfigMap. */
    public static final String ROUTING_TABLE_KEY = "services.yaml";
    /** The model config's key in a revision's ConfigMap. */
    public static final String MODEL_YAML_KEY = "model.yaml";
    /** The version directory a revision's model is fetched into. */
    public static final String MODEL_VERSION = "1";

    private Names() {
    }

    /** The routing table ConfigMap of a ModelDeployment. */
    public static String routingTable(String deployment) {
        return deployment + "-routes";
    }

    /** The model config ConfigMap of a revision. */
    public static String modelConfig(String revision) {
        return revision + "-model";
    }

    /** The namespace/name key of the work queue. */
    public static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
