package dev.modelgate.controller.deploy;

import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.crd.ModelDeploymentStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Optional;

/**
 * How a deploy ended, with its exit code, and the pure rule that reads it from a ModelDeployment's status. A status
 * counts only once the controller has observed the generation the deploy wrote: a {@code RolloutSucceeded=True} left
 * from the previous rollout must not end the wait for this one.
 */
public enum DeployOutcome {
    /** The spec was written; not waited for. */
    APPLIED(0),
    /** The rollout finished and the new model serves. */
    SUCCEEDED(0),
    /** The rollout was rolled back. */
    ABORTED(3),
    /** Neither within the timeout. */
    TIMEOUT(4);

    private final int exitCode;

    DeployOutcome(int exitCode) {
        this.exitCode = exitCode;
    }

    /** The process's exit code for this outcome. */
    public int exitCode() {
        return exitCode;
    }

    /** The word written to {@code --outcome-file}. */
    public String word() {
        String name = name();
        return name.charAt(0) + name.substring(1).toLowerCase(java.util.Locale.ROOT);
    }

    /** The finished outcome the status shows for the written generation, if it shows one yet. */
    public static Optional<DeployOutcome> of(ModelDeployment md, long generation) {
        ModelDeploymentStatus status = md == null ? null : md.getStatus();
        if (status == null || status.observedGeneration() == null || status.observedGeneration() < generation) {
            return Optional.empty();
        }
        if (isTrue(status.conditions(), "RolloutAborted")) {
            return Optional.of(ABORTED);
        }
        if (isTrue(status.conditions(), "RolloutSucceeded")) {
            return Optional.of(SUCCEEDED);
        }
        return Optional.empty();
    }

    private static boolean isTrue(List<Condition> conditions, String type) {
        return conditions != null && conditions.stream()
                .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
