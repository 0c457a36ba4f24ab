package dev.modelgate.rollout;

import dev.modelgate.rollout.config.WebhookType;
import dev.modelgate.rollout.judge.Verdict;
import dev.modelgate.rollout.judge.Verdicts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link RolloutState} to and from plain values (strings, numbers, booleans, lists, maps) that
 * any JSON or YAML library writes as is, so the module needs none: instants as ISO-8601 strings,
 * enums by name, absent values as null. Kebab-case keys, like the config.
 */
final class StateCodec {
    private StateCodec() {
    }

    static Map<String, Object> toMap(RolloutState state) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("baseline", state.baseline());
        map.put("candidate", state.candidate());
        map.put("phase", state.phase().name());
        map.put("paused-in", state.pausedIn().map(Enum::name).orElse(null));
        map.put("step", state.step());
        Map<String, Object> traffic = new LinkedHashMap<>();
        traffic.put("candidate-weight", state.traffic().candidateWeight());
        traffic.put("shadow", state.traffic().shadow());
        traffic.put("header-rule", state.traffic().headerRule());
        map.put("traffic", traffic);
        RolloutState.Window window = state.window();
        Map<String, Object> windowMap = new LinkedHashMap<>();
        windowMap.put("sequence", window.sequence());
        windowMap.put("start", window.start().toString());
        windowMap.put("due", window.due().toString());
        windowMap.put("extensions", window.extensions());
        windowMap.put("judging", window.judging());
        map.put("window", windowMap);
        Map<String, Object> pending = new LinkedHashMap<>();
        pending.put("type", state.pending().type().map(WebhookType::key).orElse(null));
        pending.put("attempts", new TreeMap<>(state.pending().attempts()));
        map.put("pending", pending);
        map.put("last-verdicts", state.lastVerdicts().toMaps());
        map.put("reason", state.reason());
        map.put("started-at", state.startedAt().toString());
        map.put("updated-at", state.updatedAt().toString());
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Decision decision : state.log().entries()) {
            entries.add(decision(decision));
        }
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("capacity", state.log().capacity());
        log.put("dropped", state.log().dropped());
        log.put("entries", entries);
        map.put("log", log);
        return map;
    }

    static RolloutState fromMap(Map<String, ?> map) {
        Map<String, ?> traffic = child(map, "traffic");
        Map<String, ?> window = child(map, "window");
        Map<String, ?> pending = child(map, "pending");
        Map<String, ?> log = child(map, "log");
        Map<String, Integer> attempts = new TreeMap<>();
        child(pending, "attempts").forEach((name, attempt) -> attempts.put(name, integer(attempt)));
        List<Decision> entries = new ArrayList<>();
        for (Map<String, ?> entry : children(log, "entries")) {
            entries.add(decision(entry));
        }
        Object pausedIn = map.get("paused-in");
        Object pendingType = pending.get("type");
        return new RolloutState((String) map.get("baseline"), (String) map.get("candidate"),
                Phase.valueOf((String) map.get("phase")),
                pausedIn == null ? Optional.empty() : Optional.of(Phase.valueOf((String) pausedIn)),
                integer(map.get("step")),
                new RolloutState.Traffic(integer(traffic.get("candidate-weight")),
                        (Boolean) traffic.get("shadow"), (Boolean) traffic.get("header-rule")),
                new RolloutState.Window(integer(window.get("sequence")), instant(window.get("start")),
                        instant(window.get("due")), integer(window.get("extensions")),
                        (Boolean) window.get("judging")),
                new RolloutState.Pending(pendingType == null ? Optional.empty()
                        : Optional.of(WebhookType.fromKey((String) pendingType)), attempts),
                Verdicts.fromMaps(children(map, "last-verdicts")), (String) map.get("reason"),
                instant(map.get("started-at")), instant(map.get("updated-at")),
                new DecisionLog(entries, ((Number) log.get("dropped")).longValue(),
                        integer(log.get("capacity"))));
    }

    private static Map<String, Object> decision(Decision decision) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("at", decision.at().toString());
        map.put("kind", decision.kind().name());
        map.put("phase", decision.phase().name());
        map.put("step", decision.step());
        map.put("message", decision.message());
        map.put("verdicts", decision.verdicts().stream().map(Verdict::toMap).toList());
        return map;
    }

    private static Decision decision(Map<String, ?> map) {
        return new Decision(instant(map.get("at")), Decision.Kind.valueOf((String) map.get("kind")),
                Phase.valueOf((String) map.get("phase")), integer(map.get("step")),
                (String) map.get("message"), Verdicts.fromMaps(children(map, "verdicts")).all());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> child(Map<String, ?> map, String key) {
        Object value = map.get(key);
        return value == null ? Map.of() : (Map<String, ?>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, ?>> children(Map<String, ?> map, String key) {
        Object value = map.get(key);
        return value == null ? List.of() : (List<Map<String, ?>>) value;
    }

    private static int integer(Object value) {
        return ((Number) value).intValue();
    }

    private static Instant instant(Object value) {
        return Instant.parse((String) value);
    }
}
