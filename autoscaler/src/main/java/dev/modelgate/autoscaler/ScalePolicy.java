package dev.modelgate.autoscaler;

/** Which rules the decider applies: the Knative KPA exactly, or the KPA plus the model-aware rules. */
public enum ScalePolicy {
    /** Knative's KPA, reference §1.5-§1.10, and nothing else. */
    KPA("kpa"),
    /** The KPA plus start-up forecasting, pending-aware panic and the backlog term (docs/autoscaler.md). */
    MODEL_AWARE("model-aware");

    private final String key;

    ScalePolicy(String key) {
        this.key = key;
    }

    /** The name used in configuration. */
    public String key() {
        return key;
    }
}
