package dev.modelgate.controller.promotion;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;

/**
 * Builds a promotion's conditions so that an unchanged world yields equal ones: a condition keeps its
 * {@code lastTransitionTime} while its status does not change, and the executor then writes nothing.
 */
final class Conditions {

    static final String READY = "Ready";
    static final String PROMOTED = "Promoted";
    static final String GATE_FAILED = "GateFailed";
    static final String SOURCE_FAILED = "SourceFailed";

    private final Instant now;
    private final long generation;
    private final List<Condition> old;

    Conditions(Instant now, long generation, List<Condition> old) {
        this.now = now;
        this.generation = generation;
        this.old = old == null ? List.of() : old;
    }

    Condition set(String type, boolean status, String reason, String message) {
        String value = status ? "True" : "False";
        Condition before = find(type);
        String since = before != null && value.equals(before.getStatus()) && before.getLastTransitionTime() != null
                ? before.getLastTransitionTime() : now.toString();
        return new ConditionBuilder().withType(type).withStatus(value).withReason(reason).withMessage(message)
                .withLastTransitionTime(since).withObservedGeneration(generation).build();
    }

    /** The old condition of this type (with this generation), else a new False one. */
    Condition keep(String type, String reason, String message) {
        Condition before = find(type);
        if (before == null) {
            return set(type, false, reason, message);
        }
        return new ConditionBuilder(before).withObservedGeneration(generation).build();
    }

    Condition find(String type) {
        return old.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    static boolean isTrue(List<Condition> conditions, String type) {
        return conditions != null && conditions.stream()
                .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
