package dev.modelgate.autoscaler;

/** The KPA's two modes (reference §1.6). */
public enum ScaleMode {
    STABLE,
    PANIC
}
