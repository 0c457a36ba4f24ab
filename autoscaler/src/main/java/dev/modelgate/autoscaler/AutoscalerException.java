package dev.modelgate.autoscaler;

import java.util.List;

/**
 * The module's one unchecked exception: a configuration (or a value handed to the library) that
 * breaks a rule. It carries every problem found in one pass, each in the form
 * {@code name: value (expected: constraint)}, so a user fixes a file once, not once per key.
 */
public final class AutoscalerException extends RuntimeException {
    private final List<String> problems;

    AutoscalerException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem as {@code name: value (expected: constraint)}. */
    public List<String> problems() {
        return problems;
    }
}
