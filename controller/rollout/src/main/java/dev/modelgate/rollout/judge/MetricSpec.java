package dev.modelgate.rollout.judge;

import java.util.Objects;

/**
 * An external metric the driver measures (a PromQL query against Prometheus) and the judge
 * compares with a threshold, as Flagger's {@code thresholdRange}: {@link Direction#FAIL_ABOVE}
 * fails when the value is above the threshold (a latency, an error ratio), {@link
 * Direction#FAIL_BELOW} when below (a success rate, an accuracy).
 *
 * @param name      the metric's name in verdicts and in {@link StepSamples#metrics()}
 * @param query     the PromQL query the driver runs (the judge never reads it)
 * @param threshold the limit
 * @param direction which side of the limit fails
 */
public record MetricSpec(String name, String query, double threshold, Direction direction) {
    public MetricSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(direction, "direction");
    }

    /** Which side of the threshold is worse. */
    public enum Direction {
        FAIL_ABOVE("fail-above"),
        FAIL_BELOW("fail-below");

        private final String key;

        Direction(String key) {
            this.key = key;
        }

        /** The config spelling: {@code fail-above} or {@code fail-below}. */
        public String key() {
            return key;
        }

        public static Direction fromKey(String key) {
            for (Direction direction : values()) {
                if (direction.key.equals(key)) {
                    return direction;
                }
            }
            return null;
        }
    }
}
