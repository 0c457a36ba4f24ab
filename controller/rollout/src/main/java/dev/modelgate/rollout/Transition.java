package dev.modelgate.rollout;

import java.util.List;
import java.util.Objects;

/** The machine's answer to one event: the new state and the actions for the driver, in order. */
public record Transition(RolloutState state, List<Action> actions) {
    public Transition {
        Objects.requireNonNull(state, "state");
        actions = List.copyOf(actions);
    }

    /** The actions of one type, in order. */
    public <A extends Action> List<A> actions(Class<A> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
