package dev.modelgate.rollout.judge;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every check of one step. The overall outcome is the worst one: any FAIL fails the step, any
 * INCONCLUSIVE (or no checks at all) leaves it inconclusive, and only all-PASS passes.
 */
public record Verdicts(List<Verdict> all) {
    public Verdicts {
        all = List.copyOf(all);
    }

    public static Verdicts of(Verdict... verdicts) {
        return new Verdicts(List.of(verdicts));
    }

    public Outcome overall() {
        if (all.stream().anyMatch(v -> v.outcome() == Outcome.FAIL)) {
            return Outcome.FAIL;
        }
        if (all.isEmpty() || all.stream().anyMatch(v -> v.outcome() == Outcome.INCONCLUSIVE)) {
            return Outcome.INCONCLUSIVE;
        }
        return Outcome.PASS;
    }

    public Optional<Verdict> get(String metric) {
        return all.stream().filter(v -> v.metric().equals(metric)).findFirst();
    }

    /** The reasons of the verdicts with this outcome, joined for a log line. */
    public String reasons(Outcome outcome) {
        List<String> reasons = new ArrayList<>();
        for (Verdict verdict : all) {
            if (verdict.outcome() == outcome) {
                reasons.add(verdict.metric() + ": " + verdict.reason());
            }
        }
        return String.join("; ", reasons);
    }

    public List<Map<String, Object>> toMaps() {
        return all.stream().map(Verdict::toMap).toList();
    }

    public static Verdicts fromMaps(List<? extends Map<String, ?>> maps) {
        return new Verdicts(maps.stream().<Verdict>map(Verdict::fromMap).toList());
    }
}
