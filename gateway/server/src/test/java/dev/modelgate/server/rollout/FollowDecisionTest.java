package dev.modelgate.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FollowDecisionTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static SortedMap<Long, Boolean> listing(Object... versionAndComplete) {
        SortedMap<Long, Boolean> listing = new TreeMap<>();
        for (int i = 0; i < versionAndComplete.length; i += 2) {
            listing.put(((Number) versionAndComplete[i]).longValue(), (Boolean) versionAndComplete[i + 1]);
        }
        return listing;
    }

    @Test
    void theVersionsLoadedAtStartAreNotNew() {
        FollowDecision decision = FollowDecision.decide(listing(1, true, 2, true), FollowState.initial(2), false);
        assertThat(decision).isInstanceOf(FollowDecision.Idle.class);
        assertThat(decision.describe()).isEqualTo("no version newer than 2");
    }

    @Test
    void aNewCompleteVersionIsLoaded() {
        assertThat(FollowDecision.decide(listing(1, true, 2, true, 3, true), FollowState.initial(2), false))
                .isEqualTo(new FollowDecision.Load(3, List.of()));
    }

    @Test
    void aVersionWithoutItsModelFileWaitsUntilComplete() {
        FollowState state = FollowState.initial(2);
        FollowDecision early = FollowDecision.decide(listing(2, true, 3, false), state, false);
        assertThat(early).isInstanceOf(FollowDecision.Idle.class);
        assertThat(early.describe()).contains("[3]", "not complete");
        assertThat(FollowDecision.decide(listing(2, true, 3, true), state, false))
                .isEqualTo(new FollowDecision.Load(3, List.of()));
    }

    @Test
    void ofSeveralNewVersionsOnlyTheNewestIsLoadedAndTheOthersAreSuperseded() {
        FollowDecision decision = FollowDecision.decide(listing(1, true, 3, true, 4, false, 5, true, 6, true),
                FollowState.initial(1), false);
        assertThat(decision).isEqualTo(new FollowDecision.Load(6, List.of(3L, 5L)));
        FollowState next = FollowState.initial(1).loading(6, List.of(3L, 5L), T0);
        assertThat(next.highWater()).isEqualTo(6);
        assertThat(next.events()).extracting(FollowState.Event::version, FollowState.Event::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3L, FollowState.Kind.SUPERSEDED),
                        org.assertj.core.groups.Tuple.tuple(5L, FollowState.Kind.SUPERSEDED),
                        org.assertj.core.groups.Tuple.tuple(6L, FollowState.Kind.LOADING));
    }

    @Test
    void nothingStartsWhileAVersionLoadsOrARolloutRuns() {
        FollowState loading = FollowState.initial(2).loading(3, List.of(), T0);
        FollowDecision whileLoading = FollowDecision.decide(listing(3, true, 4, true), loading, false);
        assertThat(whileLoading).isInstanceOf(FollowDecision.Wait.class);
        assertThat(whileLoading.describe()).isEqualTo("version 3 is loading");

        FollowState rolledOut = loading.rolledOut(3, "rollout 2 -> 3 started", T0);
        assertThat(rolledOut.failed()).isEmpty();
        assertThat(rolledOut.loading()).isEmpty();
        FollowDecision whileRolling = FollowDecision.decide(listing(3, true, 4, true), rolledOut, true);
        assertThat(whileRolling).isInstanceOf(FollowDecision.Wait.class);
        assertThat(whileRolling.describe()).contains("version 4 waits");
        assertThat(FollowDecision.decide(listing(3, true, 4, true), rolledOut, false))
                .isEqualTo(new FollowDecision.Load(4, List.of()));
    }

    @Test
    void aVersionThatFailedIsNeverTriedAgainButANewerOneIs() {
        FollowState failed = FollowState.initial(2).loading(3, List.of(), T0)
                .failed(3, "model iris version 3: failed to load (bad file)", T0);
        assertThat(failed.failed()).containsEntry(3L, "model iris version 3: failed to load (bad file)");
        assertThat(failed.loading()).isEmpty();
        assertThat(FollowDecision.decide(listing(2, true, 3, true), failed, false))
                .isInstanceOf(FollowDecision.Idle.class);
        assertThat(FollowDecision.decide(listing(2, true, 3, true, 4, true), failed, false))
                .isEqualTo(new FollowDecision.Load(4, List.of()));
    }

    @Test
    void aLoadedVersionThatCouldNotStartItsRolloutIsReportedAsFailed() {
        FollowState state = FollowState.initial(2).loading(3, List.of(), T0)
                .notStarted(3, "loaded, not rolled out: conflict", T0);
        assertThat(state.failed()).containsOnlyKeys(3L);
        assertThat(state.events().get(1).kind()).isEqualTo(FollowState.Kind.NOT_STARTED);
        assertThat(state.toMap()).containsEntry("high-water", 3L).containsEntry("loading", null);
    }

    @Test
    void keepsOnlyTheNewestEvents() {
        FollowState state = FollowState.initial(0);
        for (long version = 1; version <= FollowState.EVENTS_KEPT; version++) {
            state = state.loading(version, List.of(), T0).failed(version, "bad " + version, T0);
        }
        assertThat(state.events()).hasSize(FollowState.EVENTS_KEPT);
        assertThat(state.events().get(state.events().size() - 1).message())
                .isEqualTo("bad " + FollowState.EVENTS_KEPT);
    }
}
