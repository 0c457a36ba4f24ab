package dev.modelgate.controller.promotion;

/**
 * What one source means for its promotion now, as a value ({@link SourceVerdicts#decide}).
 */
public sealed interface SourceVerdict {

    /**
     * Nothing to do yet (still running) or any more (already handled).
     *
     * @param reason why
     */
    record Wait(String reason) implements SourceVerdict {
    }

    /**
     * The source completed and passed the gate: promote its model.
     *
     * @param uri the model's URI
     */
    record Promote(String uri) implements SourceVerdict {
    }

    /**
     * The source failed, or completed without a usable model.
     *
     * @param reason a CamelCase reason
     * @param message what happened
     */
    record SourceFailed(String reason, String message) implements SourceVerdict {
    }

    /**
     * The source completed but its metric did not pass the gate.
     *
     * @param metric the metric's name
     * @param value its value as the source reported it, or {@code absent}
     * @param operator the gate's operator
     * @param threshold the gate's threshold
     * @param uri the model that was not promoted
     */
    record GateFailed(String metric, String value, String operator, double threshold, String uri)
            implements SourceVerdict {

        /** One line for conditions and events. */
        public String message() {
            return "gate: " + metric + " " + value + " (expected: " + operator + " " + threshold + "); model " + uri
                    + " not promoted";
        }
    }
}
