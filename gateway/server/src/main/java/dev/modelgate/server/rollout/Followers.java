package dev.modelgate.server.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.api.InferenceException;
import dev.modelgate.server.config.ConfigException;
import dev.modelgate.server.config.FollowConfig;
import dev.modelgate.server.host.ModelEntry;
import dev.modelgate.server.host.ModelHost;
import dev.modelgate.server.traffic.RevisionSpec;
import dev.modelgate.server.traffic.ServiceControl;
import dev.modelgate.server.traffic.ServiceStatus;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The services that follow their model repository ({@code follow-repository:}), one {@link
 * RepositoryFollower} each on one shared follow thread, and their admin route:
 *
 * <pre>
 * GET /admin/services/{s}/follow   model, directory, last decision, versions failed and why, events
 * </pre>
 *
 * Checked at start, with the key that names the problem: the service exists, and the followed
 * model (by default the stable revision's) is one this gateway hosts.
 */
public final class Followers implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, RepositoryFollower> followers;
    private final ScheduledExecutorService executor;

    private Followers(Map<String, RepositoryFollower> followers, ScheduledExecutorService executor) {
        this.followers = followers;
        this.executor = executor;
    }

    /**
     * Builds a follower per followed service; none looks at its directory before {@link #start}.
     *
     * @throws ConfigException naming each followed service that does not exist or whose model is
     *     not hosted here
     */
    public static Followers create(Map<String, FollowConfig> followed, Path repository,
            List<ModelEntry> models, ModelHost host, ServiceControl control, Rollouts rollouts,
            Clock clock) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "modelgate-follow");
            thread.setDaemon(true);
            return thread;
        });
        Map<String, ModelEntry> byName = new LinkedHashMap<>();
        models.forEach(model -> byName.put(model.name(), model));
        Map<String, RepositoryFollower> followers = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        RepositoryFollower.Targets targets = new RepositoryFollower.Targets(host, control, rollouts);
        followed.forEach((service, config) -> {
            String at = "service " + service + " follow-repository";
            String model = model(service, config, control, at, problems);
            if (model == null) {
                return;
            }
            ModelEntry entry = byName.get(model);
            if (entry == null) {
                problems.add(at + ".model: " + model + " (expected: a model in the repository, one of "
                        + byName.keySet() + ")");
                return;
            }
            followers.put(service, new RepositoryFollower(service, model, repository.resolve(model),
                    entry.versions().lastKey(), config, targets, executor, clock));
        });
        if (!problems.isEmpty()) {
            executor.shutdownNow();
            throw new ConfigException("services", problems);
        }
        return new Followers(followers, executor);
    }

    private static String model(String service, FollowConfig config, ServiceControl control,
            String at, List<String> problems) {
        ServiceStatus status;
        try {
            status = control.service(service);
        } catch (InferenceException e) {
            problems.add(at + ": " + service + " (expected: a service of this gateway)");
            return null;
        }
        if (config.model() != null) {
            return config.model();
        }
        RevisionSpec stable = status.revisions().stream().map(r -> r.spec())
                .filter(r -> r.name().equals(status.stable())).findFirst().orElse(null);
        if (stable == null || stable.isRemote()) {
            problems.add(at + ".model: " + (stable == null ? null : stable.model())
                    + " (expected: set, since the stable revision " + status.stable()
                    + " is not a model hosted here)");
            return null;
        }
        return stable.model();
    }

    /** Starts every follower (after the models loaded, so the baseline serves). */
    public void start() {
        followers.values().forEach(RepositoryFollower::start);
    }

    public void mount(Router router) {
        router.get("/admin/services/:service/follow").handler(ctx -> {
            RepositoryFollower follower = followers.get(ctx.pathParam("service"));
            Map<String, Object> body = follower != null ? follower.view()
                    : Map.of("error", "service " + ctx.pathParam("service")
                            + ": does not follow its model repository (expected: one of "
                            + followers.keySet() + ")");
            try {
                ctx.response().setStatusCode(follower != null ? 200 : 404)
                        .putHeader("Content-Type", "application/json")
                        .end(JSON.writeValueAsString(body));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                ctx.fail(e);
            }
        });
    }

    @Override
    public void close() {
        followers.values().forEach(RepositoryFollower::close);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
