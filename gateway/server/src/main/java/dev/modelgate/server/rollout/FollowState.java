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

    /** What happened to a version. */
    enum Kind {
        /** Taken up: loading and warming up. */
        LOADING,
        /** A newer version appeared with it; never loaded. */
        SUPERSEDED,
        /** Added as a dark revision, its rollout started. */
        ROLLOUT,
        /** Loaded, but the revision or its rollout was refused. */
        NOT_STARTED,
        /** Did not load or warm up. */
        FAILED
    }

    /** Something that happened to one version. */
    record Event(Instant at, long version, Kind kind, String message) {
        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("at", at.toString());
            map.put("version", version);
            map.put("kind", kind.name());
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
        superseded.forEach(old -> next.add(new Event(at, old, Kind.SUPERSEDED,
                "version " + version + " appeared too; only the newest is rolled out")));
        next.add(new Event(at, version, Kind.LOADING, "new complete version: loading and warming up"));
        return new FollowState(Math.max(highWater, version), OptionalLong.of(version), failed, trim(next));
    }

    /** The version serves as a dark revision and its rollout started. */
    FollowState rolledOut(long version, String message, Instant at) {
        List<Event> next = new ArrayList<>(events);
        next.add(new Event(at, version, Kind.ROLLOUT, message));
        return new FollowState(highWater, OptionalLong.empty(), failed, trim(next));
    }

    /** The version loaded, but its revision or rollout was refused: it gets no traffic. */
    FollowState notStarted(long version, String reason, Instant at) {
        return withFailure(version, Kind.NOT_STARTED, reason, at);
    }

    /** The version did not load or warm up: it never gets traffic. */
    FollowState failed(long version, String reason, Instant at) {
        return withFailure(version, Kind.FAILED, reason, at);
    }

    private FollowState withFailure(long version, Kind kind, String reason, Instant at) {
        List<Event> next = new ArrayList<>(events);
        next.add(new Event(at, version, kind, reason));
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
