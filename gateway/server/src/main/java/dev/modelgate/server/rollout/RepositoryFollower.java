package dev.modelgate.server.rollout;

import dev.modelgate.server.config.FollowConfig;
import dev.modelgate.server.host.ModelHost;
import dev.modelgate.server.host.ModelRepository;
import dev.modelgate.server.traffic.RevisionSpec;
import dev.modelgate.server.traffic.ServiceControl;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The act layer of one service that follows its model's directory (Triton's poll mode, plus
 * file-system events): observe (list the directory on a file-system event or every poll
 * interval), decide ({@link FollowDecision#decide}), act (load and warm up the new version in the
 * host, add it as a dark revision, start the configured rollout). Every look and every answer
 * runs on the one follow thread, so the state needs no lock; the load runs on the host's
 * repository thread and comes back to the follow thread when done.
 *
 * <p>A version that fails to load or warm up is logged, counted by the host's load-failure meter
 * and shown in the admin API, and never becomes a revision, so it can get no traffic. Events
 * are only a hint to look now: a missed or coalesced event costs at most one poll interval.
 */
final class RepositoryFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RepositoryFollower.class);

    private final String service;
    private final String model;
    private final Path directory;
    private final String fileName;
    private final FollowConfig config;
    private final ModelHost host;
    private final ServiceControl control;
    private final Rollouts rollouts;
    private final ScheduledExecutorService executor;
    private final Clock clock;
    private volatile FollowState state;
    private volatile String lastDecision = "not started";
    private volatile boolean closed;
    private ScheduledFuture<?> polls;
    private WatchService watch;

    /** What the follower acts on. */
    record Targets(ModelHost host, ServiceControl control, Rollouts rollouts) {
    }

    RepositoryFollower(String service, String model, Path directory, long newestLoaded,
            FollowConfig config, Targets targets, ScheduledExecutorService executor, Clock clock) {
        this.service = service;
        this.model = model;
        this.directory = directory;
        this.fileName = "model." + targets.host().runtimeOf(model);
        this.config = config;
        this.host = targets.host();
        this.control = targets.control();
        this.rollouts = targets.rollouts();
        this.executor = executor;
        this.clock = clock;
        this.state = FollowState.initial(newestLoaded);
    }

    /** Starts looking: at once, on every file-system event and every poll interval. */
    void start() {
        polls = executor.scheduleWithFixedDelay(this::look, 0, config.pollInterval().toNanos(),
                TimeUnit.NANOSECONDS);
        try {
            watch = FileSystems.getDefault().newWatchService();
            directory.register(watch, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY);
            Thread thread = new Thread(this::watch, "modelgate-follow-watch-" + service);
            thread.setDaemon(true);
            thread.start();
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("follow {}: no file-system events for {} ({}); polling every {}", service,
                    directory, e.getMessage(), config.pollInterval());
        }
    }

    private void watch() {
        try {
            while (!closed) {
                WatchKey key = watch.take();
                key.pollEvents();
                executor.execute(this::look);
                if (!key.reset()) {
                    LOG.warn("follow {}: {} is no longer watched; polling only", service, directory);
                    return;
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closed: the follower stops
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the executor stopped first
        }
    }

    /** One look at the directory; on the follow thread. */
    private void look() {
        if (closed) {
            return;
        }
        try {
            FollowDecision decision = FollowDecision.decide(
                    ModelRepository.versionDirectories(directory, fileName), state,
                    rollouts.running(service));
            lastDecision = decision.describe();
            if (decision instanceof FollowDecision.Load load) {
                load(load);
            }
        } catch (RuntimeException e) {
            LOG.error("follow {}: a look at {} failed", service, directory, e);
        }
    }

    private void load(FollowDecision.Load load) {
        long version = load.version();
        state = state.loading(version, load.superseded(), clock.instant());
        LOG.info("follow {}: {} in {}", service, load.describe(), directory);
        host.addVersion(model, version, directory.resolve(Long.toString(version)).resolve(fileName))
                .whenComplete((ok, failure) -> executor.execute(() -> {
                    if (failure == null) {
                        rollOut(version);
                    } else {
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause() : failure;
                        LOG.error("follow {}: version {} gets no traffic: {}", service, version,
                                cause.getMessage());
                        state = state.failed(version, String.valueOf(cause.getMessage()), clock.instant());
                    }
                    look();
                }));
    }

    /** The version serves: make it a dark revision and start its rollout against the stable one. */
    private void rollOut(long version) {
        String label = Long.toString(version);
        try {
            String baseline = control.service(service).stable();
            control.addRevision(service, new RevisionSpec(label, model, label));
            rollouts.start(service, config.rollout(baseline, label));
            LOG.info("follow {}: version {} added as revision {} (weight 0), rollout {} -> {} started",
                    service, version, label, baseline, label);
            state = state.rolledOut(version, "revision " + label + " added dark, rollout "
                    + baseline + " -> " + label + " started", clock.instant());
        } catch (RuntimeException e) {
            LOG.error("follow {}: version {} loaded but not rolled out: {}", service, version,
                    e.getMessage());
            state = state.notStarted(version, "loaded, not rolled out: " + e.getMessage(),
                    clock.instant());
        }
    }

    /** The follower as the admin API shows it. */
    Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("service", service);
        view.put("model", model);
        view.put("directory", directory.toString());
        view.put("poll-interval", config.pollInterval().toString());
        view.put("last-decision", lastDecision);
        view.putAll(state.toMap());
        return view;
    }

    @Override
    public void close() {
        closed = true;
        if (polls != null) {
            polls.cancel(false);
        }
        if (watch != null) {
            try {
                watch.close();
            } catch (IOException e) {
                LOG.debug("follow {}: closing the watch service", service, e);
            }
        }
    }
}
