package dev.modelgate.rollout.config;

/** When a webhook is called and what its answer does (Flagger's types, a subset). */
public enum WebhookType {
    /** Before any traffic reaches the candidate; a failure (after retries) fails the rollout. */
    PRE_ROLLOUT("pre-rollout"),
    /** Before each judgement; a "no" holds the step (counts as an extension). */
    ROLLOUT("rollout"),
    /** Before promotion; a "no" keeps the rollout waiting at the last step, still judged. */
    CONFIRM_PROMOTION("confirm-promotion"),
    /** After promotion; notification only. */
    POST_ROLLOUT("post-rollout"),
    /** After a rollback; notification only. */
    ROLLBACK("rollback");

    private final String key;

    WebhookType(String key) {
        this.key = key;
    }

    /** The config spelling, for example {@code confirm-promotion}. */
    public String key() {
        return key;
    }

    /** Whether the rollout waits for the answer (a gate) rather than only logging it. */
    public boolean isGate() {
        return this == PRE_ROLLOUT || this == ROLLOUT || this == CONFIRM_PROMOTION;
    }

    public static WebhookType fromKey(String key) {
        for (WebhookType type : values()) {
            if (type.key.equals(key)) {
                return type;
            }
        }
        return null;
    }
}
