package dev.modelgate.controller.promotion;

import java.util.Arrays;
import java.util.Optional;

/**
 * The training kinds a promotion can follow, with where their API lives and how each says it is done. Kubeflow's
 * types are not on our classpath (and change between releases), so they are read as generic resources; this table is
 * the only place that knows their groups, versions and plurals.
 */
public enum SourceKind {
    /** Training Operator v1. */
    PYTORCH_JOB("kubeflow.org", "v1", "PyTorchJob", "pytorchjobs", Family.TRAINING_OPERATOR),
    /** Training Operator v1. */
    TF_JOB("kubeflow.org", "v1", "TFJob", "tfjobs", Family.TRAINING_OPERATOR),
    /** Training Operator v1. */
    XGBOOST_JOB("kubeflow.org", "v1", "XGBoostJob", "xgboostjobs", Family.TRAINING_OPERATOR),
    /** Training Operator v1. */
    JAX_JOB("kubeflow.org", "v1", "JAXJob", "jaxjobs", Family.TRAINING_OPERATOR),
    /** Training Operator v1. */
    PADDLE_JOB("kubeflow.org", "v1", "PaddleJob", "paddlejobs", Family.TRAINING_OPERATOR),
    /** Training Operator v1. */
    MPI_JOB("kubeflow.org", "v1", "MPIJob", "mpijobs", Family.TRAINING_OPERATOR),
    /** Kubeflow Trainer v2. */
    TRAIN_JOB("trainer.kubeflow.org", "v1alpha1", "TrainJob", "trainjobs", Family.TRAINER),
    /** Katib. */
    EXPERIMENT("kubeflow.org", "v1beta1", "Experiment", "experiments", Family.KATIB);

    /** Which API line a kind belongs to: it decides the completion condition and where metrics are. */
    public enum Family {
        /** {@code Succeeded=True} / {@code Failed=True}; no metrics in the status. */
        TRAINING_OPERATOR,
        /** {@code Complete=True} / {@code Failed=True}; metrics in {@code status.trainerStatus.metrics}. */
        TRAINER,
        /** {@code Succeeded=True} with a best trial; its metrics in {@code status.currentOptimalTrial}. */
        KATIB
    }

    private final String group;
    private final String version;
    private final String kind;
    private final String plural;
    private final Family family;

    SourceKind(String group, String version, String kind, String plural, Family family) {
        this.group = group;
        this.version = version;
        this.kind = kind;
        this.plural = plural;
        this.family = family;
    }

    /** The API group. */
    public String group() {
        return group;
    }

    /** The served version we read. */
    public String version() {
        return version;
    }

    /** The kind, as in {@code spec.source.kind}. */
    public String kind() {
        return kind;
    }

    /** The resource (plural). */
    public String plural() {
        return plural;
    }

    /** The API line. */
    public Family family() {
        return family;
    }

    /** {@code group/version}. */
    public String apiVersion() {
        return group + "/" + version;
    }

    /** The name of its CustomResourceDefinition, {@code plural.group}. */
    public String crdName() {
        return plural + "." + group;
    }

    /** The condition type that means "finished well". */
    public String completeCondition() {
        return family == Family.TRAINER ? "Complete" : "Succeeded";
    }

    /** The kind named {@code kind}, if it is one we follow. */
    public static Optional<SourceKind> of(String kind) {
        return Arrays.stream(values()).filter(k -> k.kind.equals(kind)).findFirst();
    }
}
