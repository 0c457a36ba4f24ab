package dev.modelgate.server.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * What a repository follower does after one look at the model's directory: a pure function of the
 * listing (version to complete or not), its state and whether the service has a rollout running,
 * so every rule below is tested without files, threads or a gateway.
 *
 * <ul>
 *   <li>only versions newer than every version taken up count: a version is considered once;</li>
 *   <li>a version directory without its model file is not complete yet (a trainer that writes in
 *       place has not finished); it waits, and does not hold back a newer complete one;</li>
 *   <li>one version at a time: nothing new starts while one loads or a rollout runs (a rollout
 *       judges one candidate against the stable revision; two at once would judge neither);</li>
 *   <li>of several new complete versions only the newest is loaded, the older ones are
 *       superseded (a trainer that wrote twice while a rollout ran wants its latest model).</li>
 * </ul>
 */
sealed interface FollowDecision {
    /** One line for the admin API and the log. */
    String describe();

    /** Nothing new. */
    record Idle(String describe) implements FollowDecision {
    }

    /** Something new that must wait (a load or a rollout in progress). */
    record Wait(String describe) implements FollowDecision {
    }

    /** Load {@code version}, then add it as a dark revision and start its rollout. */
    record Load(long version, List<Long> superseded) implements FollowDecision {
        public Load {
            superseded = List.copyOf(superseded);
        }

        @Override
        public String describe() {
            return "load version " + version + (superseded.isEmpty() ? ""
                    : " (supersedes " + superseded + ")");
        }
    }

    static FollowDecision decide(SortedMap<Long, Boolean> listing, FollowState state,
            boolean rolloutRunning) {
        SortedMap<Long, Boolean> newer = listing.tailMap(state.highWater() + 1);
        List<Long> complete = new ArrayList<>();
        List<Long> incomplete = new ArrayList<>();
        newer.forEach((version, done) -> (done ? complete : incomplete).add(version));
        if (state.loading().isPresent()) {
            return new Wait("version " + state.loading().getAsLong() + " is loading");
        }
        if (complete.isEmpty()) {
            return new Idle(incomplete.isEmpty() ? "no version newer than " + state.highWater()
                    : "versions " + incomplete + " are not complete yet (no model file)");
        }
        long newest = complete.get(complete.size() - 1);
        if (rolloutRunning) {
            return new Wait("version " + newest + " waits for the running rollout to finish");
        }
        return new Load(newest, complete.subList(0, complete.size() - 1));
    }
}
