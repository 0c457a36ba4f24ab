package dev.modelgate.rollout;

import java.util.ArrayList;
import java.util.List;

/**
 * The newest {@code capacity} decisions of a rollout, and how many older ones were dropped. The
 * log lives in the state (a file next to the gateway's config, a custom resource's status), so
 * it must stay small: a stuck rollout retrying a webhook for a day must not grow it without end.
 */
public record DecisionLog(List<Decision> entries, long dropped, int capacity) {
    public static final int DEFAULT_CAPACITY = 200;

    public DecisionLog {
        entries = List.copyOf(entries);
        if (capacity < 1 || entries.size() > capacity || dropped < 0) {
            throw new IllegalArgumentException("decision log: " + entries.size() + " of " + capacity
                    + " (expected: 1 <= entries <= capacity)");
        }
    }

    public static DecisionLog empty() {
        return new DecisionLog(List.of(), 0, DEFAULT_CAPACITY);
    }

    DecisionLog append(Decision decision) {
        List<Decision> more = new ArrayList<>(entries);
        more.add(decision);
        long droppedNow = dropped;
        while (more.size() > capacity) {
            more.remove(0);
            droppedNow++;
        }
        return new DecisionLog(more, droppedNow, capacity);
    }
}
