package dev.modelgate.server.rollout;

import dev.modelgate.rollout.Action;
import dev.modelgate.rollout.RolloutEvent;
import dev.modelgate.rollout.RolloutMachine;
import dev.modelgate.rollout.RolloutState;
import dev.modelgate.rollout.Transition;
import dev.modelgate.rollout.config.RolloutConfig;
import dev.modelgate.rollout.judge.Judge;
import dev.modelgate.rollout.judge.MetricSpec;
import dev.modelgate.rollout.judge.StepSamples;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The act layer around one service's {@link RolloutMachine}: it ticks the machine, performs the
 * actions it returns and feeds the answers back as events. Every event runs on the one rollout
 * thread, so the state needs no lock; slow work (webhooks, PromQL) is asynchronous and comes back
 * to that thread as an event. The state is saved before its actions run and shown after them:
 * a reader of a phase finds its traffic in place, and after a crash the
 * restarted gateway re-applies the saved traffic and re-sends what was in flight
 * ({@link RolloutMachine#inFlight}), so an action is at worst repeated, never lost.
 */
final class RolloutDriver {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutDriver.class);
    private static final Duration MIN_TICK = Duration.ofMillis(10);

    private final String service;
    private final RolloutMachine machine;
    private final Collaborators with;
    private final TrafficActions traffic;
    private final RolloutMetrics metrics;
    private volatile RolloutState state;
    private ScheduledFuture<?> ticks;
    private String openWindow;

    /** What every driver shares: the rollout thread, samples, outbound HTTP, files, the clock. */
    record Collaborators(ScheduledExecutorService executor, RolloutSamples samples, HttpCalls http,
            StateFiles files, Clock clock, Duration tick) {
    }

    RolloutDriver(String service, RolloutConfig config, RolloutState state, TrafficActions traffic,
            RolloutMetrics metrics, Collaborators with) {
        this.service = service;
        this.machine = RolloutMachine.of(config);
        this.state = state;
        this.traffic = traffic;
        this.metrics = metrics;
        this.with = with;
    }

    RolloutConfig config() {
        return machine.config();
    }

    RolloutState state() {
        return state;
    }

    /**
     * Starts ticking. A {@code resumed} rollout first gets its saved traffic back (the routing
     * table came from the config file) and re-sends the calls that were in flight.
     */
    void start(boolean resumed) {
        with.executor().execute(() -> {
            metrics.state(state);
            if (resumed) {
                restoreTraffic();
                openWindowIfNew();
                perform(machine.inFlight(state));
            } else {
                save(state);
            }
            if (!state.phase().isTerminal()) {
                long period = tickPeriod(machine.config(), with.tick()).toNanos();
                ticks = with.executor().scheduleWithFixedDelay(() -> handle(new RolloutEvent.Tick()),
                        0, period, TimeUnit.NANOSECONDS);
            }
        });
    }

    /** Runs {@code event} on the rollout thread; completes with the state after it. */
    CompletableFuture<RolloutState> submit(RolloutEvent event) {
        return CompletableFuture.supplyAsync(() -> {
            handle(event);
            return state;
        }, with.executor());
    }

    void stop() {
        with.executor().execute(() -> {
            if (ticks != null) {
                ticks.cancel(false);
            }
        });
    }

    private void handle(RolloutEvent event) {
        try {
            Transition transition = machine.next(state, event, with.clock().instant());
            save(transition.state());
            perform(transition.actions());
            // Published after the actions: whoever reads a phase sees its traffic in place.
            state = transition.state();
            openWindowIfNew();
            metrics.state(state);
            if (state.phase().isTerminal()) {
                if (ticks != null) {
                    ticks.cancel(false);
                }
                with.samples().close(service);
            }
        } catch (RuntimeException e) {
            LOG.error("rollout of {}: {} failed", service, event, e);
        }
    }

    /**
     * Saves the state; a failed write is logged and the actions still run: the traffic must
     * follow the machine even when the disk does not (the next event writes again).
     */
    private void save(RolloutState next) {
        try {
            with.files().save(service, machine.config(), next);
        } catch (RuntimeException e) {
            LOG.error("rollout of {}: state not saved", service, e);
        }
    }

    private void perform(List<Action> actions) {
        for (Action action : actions) {
            try {
                perform(action);
            } catch (RuntimeException e) {
                // The traffic cannot take the machine's step (a revision vanished, a bad spec):
                // stop the rollout rather than judge a split that is not the one it asked for.
                LOG.error("rollout of {}: {} failed", service, action, e);
                if (!state.phase().isTerminal()) {
                    with.executor().execute(() -> handle(new RolloutEvent.Abort("gateway",
                            "cannot apply " + action.getClass().getSimpleName() + ": " + e.getMessage())));
                }
                return;
            }
        }
    }

    private void perform(Action action) {
        if (traffic.apply(action)) {
            return;
        }
        if (action instanceof Action.JudgeStep judge) {
            judge(judge);
        } else if (action instanceof Action.CallWebhook call) {
            with.http().webhook(service, call).thenAccept(result -> with.executor().execute(
                    () -> handle(result)));
        } else if (action instanceof Action.RecordDecision record) {
            metrics.decision(record.decision());
            LOG.info("rollout of {}: {} {} step {}: {}", service, record.decision().kind(),
                    record.decision().phase(), record.decision().step(), record.decision().message());
        } else if (action instanceof Action.Rollback rollback) {
            LOG.warn("rollout of {}: rolled back {}: {}", service, rollback.candidate(), rollback.reason());
        } else if (action instanceof Action.Pause pause) {
            LOG.warn("rollout of {}: paused: {}", service, pause.reason());
        }
    }

    /** Judges the current window on this gateway's samples plus the configured PromQL values. */
    private void judge(Action.JudgeStep judge) {
        RolloutConfig config = machine.config();
        RolloutSamples.Snapshot window = with.samples().snapshot(service, openWindow)
                .orElse(new RolloutSamples.Snapshot("none", Map.of()));
        StepSamples baseline = window.of(config.baseline());
        List<CompletableFuture<Double>> values = new ArrayList<>();
        for (MetricSpec metric : config.judge().metrics()) {
            values.add(with.http().query(metric.query()));
        }
        CompletableFuture.allOf(values.toArray(CompletableFuture[]::new)).thenRun(() -> {
            StepSamples candidate = window.of(config.candidate());
            for (int i = 0; i < values.size(); i++) {
                candidate = candidate.withMetric(config.judge().metrics().get(i).name(), values.get(i).join());
            }
            RolloutEvent.StepJudged judged = new RolloutEvent.StepJudged(judge.window(),
                    Judge.judge(baseline, candidate, config.judge()));
            with.executor().execute(() -> handle(judged));
        });
    }

    /** A new machine window (step, resume) gets a fresh sample window. */
    private void openWindowIfNew() {
        String id = state.window().start().toString();
        if (!state.phase().isTerminal() && !id.equals(openWindow)) {
            with.samples().open(service, id, List.of(state.baseline(), state.candidate()),
                    state.traffic().shadow());
            openWindow = id;
        }
    }

    private void restoreTraffic() {
        RolloutState.Traffic saved = state.traffic();
        List<Action> actions = new ArrayList<>();
        switch (state.phase()) {
            case PROMOTED -> actions.add(new Action.Promote(state.candidate()));
            case PENDING -> { }
            default -> {
                actions.add(new Action.SetWeights(100 - saved.candidateWeight(), saved.candidateWeight()));
                if (saved.shadow()) {
                    actions.add(new Action.StartShadow(state.candidate(), 100));
                }
                machine.config().header().filter(h -> saved.headerRule()).ifPresent(h -> actions.add(
                        new Action.SetHeaderRule(h.name(), h.value(), state.candidate())));
            }
        }
        perform(actions);
    }

    /** Often enough to judge a window soon after its hold: a quarter of the shortest hold. */
    static Duration tickPeriod(RolloutConfig config, Duration most) {
        List<Duration> holds = new ArrayList<>();
        config.steps().forEach(step -> holds.add(step.hold()));
        config.shadow().ifPresent(shadow -> holds.add(shadow.hold()));
        config.header().ifPresent(header -> holds.add(header.hold()));
        Duration quarter = holds.stream().min(Duration::compareTo).orElse(most).dividedBy(4);
        return quarter.compareTo(MIN_TICK) < 0 ? MIN_TICK : min(quarter, most);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
