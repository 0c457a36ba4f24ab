package dev.modelgate.server.rollout;

import dev.modelgate.api.InferenceException;
import dev.modelgate.rollout.Phase;
import dev.modelgate.rollout.RolloutEvent;
import dev.modelgate.rollout.RolloutState;
import dev.modelgate.rollout.config.RolloutConfig;
import dev.modelgate.server.service.InferenceFilter;
import dev.modelgate.server.shadow.ShadowMirror;
import dev.modelgate.server.traffic.ServiceControl;
import dev.modelgate.server.traffic.ServiceStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's progressive rollouts: at most one per service, each driven by its own {@link
 * RolloutDriver} on one shared rollout thread, their samples recorded by one filter on the request
 * path. The admin API and the config file start them; a restart resumes every saved one.
 */
public final class Rollouts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Rollouts.class);
    private final ServiceControl control;
    private final MeterRegistry meters;
    private final RolloutSamples samples = new RolloutSamples();
    private final SampleFilter filter;
    private final RolloutDriver.Collaborators with;
    private final Map<String, RolloutDriver> drivers = new ConcurrentHashMap<>();
    private final Map<String, RolloutMetrics> metrics = new ConcurrentHashMap<>();

    private Rollouts(ServiceControl control, MeterRegistry meters, Settings settings, Clock clock,
            LongSupplier nanoClock) {
        this.control = control;
        this.meters = meters;
        this.filter = new SampleFilter(samples, nanoClock);
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "modelgate-rollout");
            thread.setDaemon(true);
            return thread;
        });
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.with = new RolloutDriver.Collaborators(executor, samples,
                new HttpCalls(client, settings.prometheus()), new StateFiles(settings.stateDir()),
                clock, settings.tick());
    }

    /**
     * The gateway's rollout settings.
     *
     * @param stateDir   where each rollout's state file is kept
     * @param prometheus the Prometheus base URL for metric checks, or {@code null}
     * @param tick       the longest time between two looks at a rollout
     */
    public record Settings(Path stateDir, URI prometheus, Duration tick) {
        public Settings {
            Objects.requireNonNull(stateDir, "stateDir");
            Objects.requireNonNull(tick, "tick");
        }
    }

    public static Rollouts create(ServiceControl control, MeterRegistry meters, Settings settings,
            Clock clock, LongSupplier nanoClock) {
        return new Rollouts(control, meters, settings, clock, nanoClock);
    }

    /** The request path's sample recorder (goes after the metrics filter). */
    public InferenceFilter filter() {
        return filter;
    }

    /** Hears shadow answers: the candidate's samples during a shadow phase. */
    public ShadowMirror.Observer shadowObserver() {
        return filter;
    }

    /**
     * At start: resumes every service's saved rollout, then starts each configured rollout that
     * is not the saved one (a saved rollout of the same baseline and candidate is the configured
     * one, resumed, or already over).
     */
    public void resume(Map<String, RolloutConfig> configured) {
        for (ServiceStatus service : control.services()) {
            with.files().load(service.name()).ifPresent(stored -> {
                RolloutDriver driver = driver(service.name(), stored.config(), stored.state());
                drivers.put(service.name(), driver);
                driver.start(true);
            });
        }
        startConfigured(configured);
    }

    /**
     * Starts each configured rollout that is not the service's current or last one (one of the
     * same baseline and candidate is that rollout, running or already over): at start and after
     * every change of the configured services.
     */
    public synchronized void startConfigured(Map<String, RolloutConfig> configured) {
        configured.forEach((service, config) -> {
            RolloutDriver saved = drivers.get(service);
            if (saved == null) {
                start(service, config);
            } else if (!saved.state().baseline().equals(config.baseline())
                    || !saved.state().candidate().equals(config.candidate())) {
                if (saved.state().phase().isTerminal()) {
                    start(service, config);
                } else {
                    LOG.warn("rollout of {}: the config's {} -> {} waits: the saved rollout {} -> {}"
                            + " is still {} (abort it to start the new one)", service, config.baseline(),
                            config.candidate(), saved.state().baseline(), saved.state().candidate(),
                            saved.state().phase());
                }
            }
        });
    }

    /**
     * The services whose traffic a running rollout owns now (not over): a change of the configured
     * services keeps their current traffic block.
     */
    public Set<String> running() {
        Set<String> running = new HashSet<>();
        drivers.forEach((service, driver) -> {
            if (!driver.state().phase().isTerminal()) {
                running.add(service);
            }
        });
        return Set.copyOf(running);
    }

    /**
     * Starts a rollout of the service.
     *
     * @throws InferenceException NOT_FOUND for an unknown service, INVALID_ARGUMENT for revisions
     *     it does not have
     * @throws RolloutConflictException when a rollout of the service is still running
     */
    public synchronized RolloutState start(String service, RolloutConfig config) {
        ServiceStatus status = control.service(service);
        for (String revision : new String[] {config.baseline(), config.candidate()}) {
            if (status.revisions().stream().noneMatch(r -> r.spec().name().equals(revision))) {
                throw InferenceException.invalid("rollout: revision " + revision + " (expected: a"
                        + " revision of service " + service + ")");
            }
        }
        RolloutDriver running = drivers.get(service);
        if (running != null && !running.state().phase().isTerminal()) {
            throw new RolloutConflictException("rollout of " + service + ": "
                    + running.state().phase() + " (expected: no rollout running; abort it first)");
        }
        RolloutDriver driver = driver(service, config, RolloutState.initial(config.baseline(),
                config.candidate(), with.clock().instant()));
        drivers.put(service, driver);
        driver.start(false);
        return driver.state();
    }

    /** Whether the service has a rollout that is not over (a paused one counts). */
    public boolean running(String service) {
        RolloutDriver driver = drivers.get(service);
        return driver != null && !driver.state().phase().isTerminal();
    }

    /** The service's rollout, the running or the last one, as the admin API shows it. */
    public Optional<Map<String, Object>> view(String service) {
        RolloutDriver driver = drivers.get(service);
        return driver == null ? Optional.empty() : Optional.of(view(service, driver.config(), driver.state()));
    }

    static Map<String, Object> view(String service, RolloutConfig config, RolloutState state) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("service", service);
        view.put("config", config.toMap());
        view.put("state", state.toMap());
        return view;
    }

    /**
     * A human's command: {@code resume} (paused only), {@code abort} or {@code promote} (any
     * running rollout).
     *
     * @throws InferenceException NOT_FOUND when the service has no rollout
     * @throws RolloutConflictException when the rollout is over, or not paused for a resume
     */
    public CompletableFuture<Map<String, Object>> command(String service, RolloutEvent event) {
        RolloutDriver driver = drivers.get(service);
        if (driver == null) {
            throw InferenceException.notFound("rollout of service " + service);
        }
        Phase phase = driver.state().phase();
        if (phase.isTerminal() || event instanceof RolloutEvent.Resume && phase != Phase.PAUSED) {
            throw new RolloutConflictException("rollout of " + service + ": " + phase
                    + " (expected: " + (phase.isTerminal() ? "a running rollout" : "PAUSED") + ")");
        }
        return driver.submit(event).thenApply(state -> view(service, driver.config(), state));
    }

    /** The service's window of samples ({@code null}: the current one), for the controller. */
    public Optional<RolloutSamples.Snapshot> samples(String service, String window) {
        return samples.snapshot(service, window);
    }

    private RolloutDriver driver(String service, RolloutConfig config, RolloutState state) {
        return new RolloutDriver(service, config, state,
                new TrafficActions(control, service, config.baseline(), config.candidate()),
                metrics.computeIfAbsent(service + '\n' + config.candidate(),
                        key -> new RolloutMetrics(meters, service, config.candidate())), with);
    }

    @Override
    public void close() {
        drivers.values().forEach(RolloutDriver::stop);
        with.executor().shutdown();
        try {
            with.executor().awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
