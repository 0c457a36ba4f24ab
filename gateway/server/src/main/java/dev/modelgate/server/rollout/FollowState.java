package dev.modelgate.server.rollout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * What a repository follower knows, as a value: the newest version it has taken up (every
 * version up to it is handled, whether it rolled out, failed or was superseded, so none is ever
 * tried twice), the version loading now, the versions that failed and why, and the newest events
 * for the admin API. Each method returns the next state; the follower keeps one on its thread.
 *
 * @param highWater the newest version taken up (at start: the newest version the host loaded)
 * @param loading   the version being loaded and warmed up, if any
 * @param failed    version to the reason it never got traffic
 * @param events    the newest {@value #EVENTS_KEPT} events, oldest first
 */
record FollowState(long highWater, OptionalLong loading, Map<Long, String> failed, List<Event> events) {
    static final int EVENTS_KEPT = 50;

    /** Something that happened to one version. */
    record Event(Instant at, long version, String kind, String message) {
        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("at", at.toString());
            map.put("version", version);
            map.put("kind", kind);
            map.put("message", message);
            return map;
        }
    }

    FollowState {
        Objects.requireNonNull(loading, "loading");
        failed = java.util.Collections.unmodifiableMap(new TreeMap<>(failed));
        events = List.copyOf(events);
    }

    static FollowState initial(long newestLoaded) {
        return new FollowState(newestLoaded, OptionalLong.empty(), Map.of(), List.of());
    }

    /** {@code version} is being loaded; the older new versions it supersedes are taken up too. */
    FollowState loading(long version, List<Long> superseded, Instant at) {
        List<Event> next = new ArrayList<>(events);
        superseded.forEach(old -> next.add(new Event(at, old, "SUPERSEDED",
                "version " + version + " appeared too; only the newest is rolled out")));
        next.add(new Event(at, version, "LOADING", "new complete version: loading and warming up"));
        return new FollowState(Math.max(highWater, version), OptionalLong.of(version), failed, trim(next));
    }

    /** The version is loaded and the follower acted on it ({@code kind}: ROLLOUT or NOT_STARTED). */
    FollowState loaded(long version, String kind, String message, Instant at) {
        List<Event> next = new ArrayList<>(events);
        next.add(new Event(at, version, kind, message));
        Map<Long, String> nextFailed = failed;
        if (!"ROLLOUT".equals(kind)) {
            nextFailed = new TreeMap<>(failed);
            nextFailed.put(version, message);
        }
        return new FollowState(highWater, OptionalLong.empty(), nextFailed, trim(next));
    }

    /** The version did not load or warm up: it never gets traffic. */
    FollowState failed(long version, String reason, Instant at) {
        List<Event> next = new ArrayList<>(events);
        next.add(new Event(at, version, "FAILED", reason));
        Map<Long, String> nextFailed = new TreeMap<>(failed);
        nextFailed.put(version, reason);
        return new FollowState(highWater, OptionalLong.empty(), nextFailed, trim(next));
    }

    private static List<Event> trim(List<Event> events) {
        return events.size() <= EVENTS_KEPT ? events
                : events.subList(events.size() - EVENTS_KEPT, events.size());
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("high-water", highWater);
        map.put("loading", loading.isPresent() ? loading.getAsLong() : null);
        Map<String, String> failures = new LinkedHashMap<>();
        failed.forEach((version, reason) -> failures.put(Long.toString(version), reason));
        map.put("failed", failures);
        map.put("events", events.stream().map(Event::toMap).toList());
        return map;
    }
}
