package dev.modelgate.autoscaler.sim;

/** Never scales: the baseline any autoscaler must beat, so the relations the tests assert can fail. */
final class FixedPolicy implements SimPolicy {
    private final int replicas;

    FixedPolicy(int replicas) {
        this.replicas = replicas;
    }

    @Override
    public String name() {
        return "never scale (" + replicas + ")";
    }

    @Override
    public double periodSeconds() {
        return 2;
    }

    @Override
    public void observe(double t, Second sample) {
    }

    @Override
    public int decide(double t, int ready, int pending, int queued) {
        return replicas;
    }
}
