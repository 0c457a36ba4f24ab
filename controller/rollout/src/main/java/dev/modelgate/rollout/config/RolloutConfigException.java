package dev.modelgate.rollout.config;

import java.util.List;

/** A rollout config with problems, every one of them, each as {@code key: value (expected: ...)}. */
public final class RolloutConfigException extends IllegalArgumentException {
    private final List<String> problems;

    RolloutConfigException(List<String> problems) {
        super("invalid rollout: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
