package dev.modelgate.rollout;

import dev.modelgate.rollout.config.RolloutConfig;
import dev.modelgate.rollout.config.WebhookSpec;
import dev.modelgate.rollout.config.WebhookType;
import dev.modelgate.rollout.judge.Verdict;
import dev.modelgate.rollout.judge.Verdicts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A rollout state being changed by one event: mutable for the length of one {@link
 * RolloutMachine#next} call, so each move reads as a few assignments, and frozen by {@link
 * #finish}. It also holds the moves every event shares (enter a phase, promote, roll back, pause,
 * extend), so that each keeps its traffic actions and its log entry together in one place.
 */
final class Draft {
    private final RolloutConfig config;
    private final RolloutState before;
    private final Instant now;
    private final List<Action> actions = new ArrayList<>();
    Phase phase;
    Optional<Phase> pausedIn;
    int step;
    RolloutState.Traffic traffic;
    RolloutState.Window window;
    RolloutState.Pending pending;
    Verdicts lastVerdicts;
    String reason;
    DecisionLog log;

    Draft(RolloutConfig config, RolloutState state, Instant now) {
        this.config = config;
        this.before = state;
        this.now = now;
        phase = state.phase();
        pausedIn = state.pausedIn();
        step = state.step();
        traffic = state.traffic();
        window = state.window();
        pending = state.pending();
        lastVerdicts = state.lastVerdicts();
        reason = state.reason();
        log = state.log();
    }

    RolloutConfig config() {
        return config;
    }

    Instant now() {
        return now;
    }

    Transition finish() {
        Instant updated = actions.isEmpty() ? before.updatedAt() : now;
        RolloutState state = new RolloutState(before.baseline(), before.candidate(), phase, pausedIn,
                step, traffic, window, pending, lastVerdicts, reason, before.startedAt(), updated, log);
        return new Transition(state, actions);
    }

    void emit(Action action) {
        actions.add(action);
    }

    void record(Decision.Kind kind, String message) {
        record(kind, message, List.of());
    }

    void record(Decision.Kind kind, String message, List<Verdict> verdicts) {
        Decision decision = new Decision(now, kind, phase, step, message, verdicts);
        log = log.append(decision);
        emit(new Action.RecordDecision(decision));
    }

    /** How long the current phase or step is held before it is judged. */
    Duration hold() {
        return switch (phase) {
            case SHADOW -> config.shadow().orElseThrow().hold();
            case HEADER -> config.header().orElseThrow().hold();
            default -> config.steps().get(Math.max(0, step)).hold();
        };
    }

    /** A fresh window from now, due after the hold, with no extensions. */
    void newWindow() {
        window = new RolloutState.Window(window.sequence(), now, now.plus(hold()), 0, false);
    }

    /** Calls every webhook of this type (first attempt); false when there is none. */
    boolean callHooks(WebhookType type) {
        List<WebhookSpec> hooks = config.webhooks(type);
        if (hooks.isEmpty()) {
            return false;
        }
        Map<String, Integer> attempts = new TreeMap<>();
        for (WebhookSpec hook : hooks) {
            attempts.put(hook.name(), 1);
            emit(new Action.CallWebhook(hook, 1, payload(hook, 1)));
        }
        pending = new RolloutState.Pending(Optional.of(type), attempts);
        return true;
    }

    Map<String, Object> payload(WebhookSpec hook, int attempt) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("webhook", hook.name());
        payload.put("type", hook.type().key());
        payload.put("attempt", attempt);
        payload.put("baseline", before.baseline());
        payload.put("candidate", before.candidate());
        payload.put("phase", phase.name());
        payload.put("step", step);
        payload.put("candidate-weight", traffic.candidateWeight());
        payload.put("reason", reason);
        payload.put("verdicts", lastVerdicts.toMaps());
        payload.put("metadata", hook.metadata());
        return payload;
    }

    /** Enters the first judged phase after the pre-rollout webhooks. */
    void enterFirstPhase() {
        if (config.shadow().isPresent()) {
            enter(Phase.SHADOW, -1);
        } else if (config.header().isPresent()) {
            enter(Phase.HEADER, -1);
        } else {
            enter(Phase.STEPPING, 0);
        }
    }

    /** Enters a judged phase (or a step of STEPPING) with its traffic and a fresh window. */
    void enter(Phase next, int nextStep) {
        phase = next;
        step = nextStep;
        if (next != Phase.SHADOW && traffic.shadow()) {
            emit(new Action.StopShadow());
        }
        if (next != Phase.HEADER && traffic.headerRule()) {
            emit(new Action.ClearHeaderRule());
        }
        switch (next) {
            case SHADOW -> {
                emit(new Action.StartShadow(before.candidate(), 100));
                traffic = new RolloutState.Traffic(0, true, false);
            }
            case HEADER -> {
                var header = config.header().orElseThrow();
                emit(new Action.SetHeaderRule(header.name(), header.value(), before.candidate()));
                traffic = new RolloutState.Traffic(0, false, true);
            }
            default -> {
                int weight = config.steps().get(nextStep).weight();
                emit(new Action.SetWeights(100 - weight, weight));
                traffic = new RolloutState.Traffic(weight, false, false);
            }
        }
        newWindow();
        record(Decision.Kind.STATE, describe());
    }

    private String describe() {
        return switch (phase) {
            case SHADOW -> "shadow: mirroring every request to " + before.candidate() + " for "
                    + format(hold());
            case HEADER -> "header: " + config.header().orElseThrow().name() + "="
                    + config.header().orElseThrow().value() + " goes to " + before.candidate()
                    + " for " + format(hold());
            default -> "step " + (step + 1) + " of " + config.steps().size() + ": "
                    + traffic.candidateWeight() + "% to " + before.candidate() + " for " + format(hold());
        };
    }

    /** 90s, 2m, 1h, 1500ms: how the config spells durations. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 1000 != 0) {
            return millis + "ms";
        }
        long seconds = millis / 1000;
        return seconds % 3600 == 0 ? seconds / 3600 + "h"
                : seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    void promote(String why) {
        clearTraffic();
        phase = Phase.PROMOTED;
        pausedIn = Optional.empty();
        traffic = new RolloutState.Traffic(100, false, false);
        window = new RolloutState.Window(window.sequence(), window.start(), window.due(),
                window.extensions(), false);
        pending = RolloutState.Pending.NONE;
        emit(new Action.Promote(before.candidate()));
        record(Decision.Kind.STATE, "promoted " + before.candidate() + ": " + why);
        callHooks(WebhookType.POST_ROLLOUT);
    }

    void rollback(String why) {
        clearTraffic();
        phase = Phase.ROLLED_BACK;
        pausedIn = Optional.empty();
        reason = why;
        traffic = RolloutState.Traffic.BASELINE_ONLY;
        window = new RolloutState.Window(window.sequence(), window.start(), window.due(),
                window.extensions(), false);
        pending = RolloutState.Pending.NONE;
        emit(new Action.SetWeights(100, 0));
        emit(new Action.Rollback(before.candidate(), why));
        record(Decision.Kind.STATE, "rolled back " + before.candidate() + ": " + why);
        callHooks(WebhookType.ROLLBACK);
    }

    private void clearTraffic() {
        if (traffic.shadow()) {
            emit(new Action.StopShadow());
        }
        if (traffic.headerRule()) {
            emit(new Action.ClearHeaderRule());
        }
    }

    void pause(String why) {
        pausedIn = Optional.of(phase);
        phase = Phase.PAUSED;
        reason = why;
        pending = RolloutState.Pending.NONE;
        window = new RolloutState.Window(window.sequence(), window.start(), window.due(),
                window.extensions(), false);
        emit(new Action.Pause(why));
        record(Decision.Kind.STATE, "paused: " + why);
    }

    /** The window could not pass: extend it by one hold, or pause past the limit. */
    void extendOrPause(String why) {
        int limit = config.judge().maxExtensions();
        if (window.extensions() >= limit) {
            pause(why + " (still, after " + limit + " extension" + (limit == 1 ? "" : "s") + ")");
            return;
        }
        window = new RolloutState.Window(window.sequence(), window.start(), now.plus(hold()),
                window.extensions() + 1, false);
        record(Decision.Kind.EXTENSION, "extended " + (window.extensions()) + " of " + limit
                + " until " + window.due() + ": " + why);
    }
}
