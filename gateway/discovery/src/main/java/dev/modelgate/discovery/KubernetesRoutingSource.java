package dev.modelgate.discovery;

import dev.modelgate.server.config.RoutingSource;
import dev.modelgate.server.config.ServicesConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin, effectful half of discovery: informers (list, then watch; never a poll) on the
 * routing-table ConfigMaps and on the EndpointSlices of the watched namespaces; any event
 * schedules one rebuild after a short quiet time, so a rollout that moves ten pods rebuilds once,
 * not ten times. A rebuild reads the informers' caches, asks {@link RoutingTables} for the
 * services, logs each table's problems once when they change, and pushes the set only when it
 * differs from the last one. Everything after the informers runs on one thread.
 */
final class KubernetesRoutingSource implements RoutingSource {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesRoutingSource.class);

    private final KubernetesClient client;
    private final boolean ownsClient;
    private final DiscoverySettings settings;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "modelgate-discovery");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final List<SharedIndexInformer<ConfigMap>> tables = new ArrayList<>();
    private final List<SharedIndexInformer<EndpointSlice>> slices = new ArrayList<>();
    private volatile boolean closed;
    private Consumer<ServicesConfig> updates;
    private ServicesConfig last;
    private Map<String, ConfigMap> lastGood = Map.of();
    private Map<String, List<String>> reported = Map.of();

    /** @param ownsClient whether {@link #close} closes the client too */
    KubernetesRoutingSource(KubernetesClient client, boolean ownsClient, DiscoverySettings settings) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.settings = settings;
    }

    @Override
    public void start(Consumer<ServicesConfig> consumer) {
        this.updates = Objects.requireNonNull(consumer, "updates");
        DiscoveryAccess.CONFIG_MAPS.require("list", "watch");
        DiscoveryAccess.ENDPOINT_SLICES.require("list", "watch");
        ResourceEventHandler<Object> onChange = new ResourceEventHandler<>() {
            @Override
            public void onAdd(Object added) {
                changed();
            }

            @Override
            public void onUpdate(Object before, Object after) {
                changed();
            }

            @Override
            public void onDelete(Object deleted, boolean finalStateUnknown) {
                changed();
            }
        };
        if (settings.namespaces().isEmpty()) {
            tables.add(client.configMaps().inAnyNamespace().withLabel(RoutingTables.LABEL, "true")
                    .inform(handler(onChange), 0L));
            slices.add(client.discovery().v1().endpointSlices().inAnyNamespace()
                    .withLabel(RoutingTables.SERVICE_NAME_LABEL).inform(handler(onChange), 0L));
        } else {
            for (String namespace : settings.namespaces()) {
                tables.add(client.configMaps().inNamespace(namespace).withLabel(RoutingTables.LABEL, "true")
                        .inform(handler(onChange), 0L));
                slices.add(client.discovery().v1().endpointSlices().inNamespace(namespace)
                        .withLabel(RoutingTables.SERVICE_NAME_LABEL).inform(handler(onChange), 0L));
            }
        }
        LOG.info("Discovery watches routing tables and EndpointSlices in {}",
                settings.namespaces().isEmpty() ? "every namespace" : settings.namespaces());
        executor.execute(this::rebuild);
    }

    @SuppressWarnings("unchecked")
    private static <T> ResourceEventHandler<T> handler(ResourceEventHandler<Object> handler) {
        return (ResourceEventHandler<T>) (ResourceEventHandler<?>) handler;
    }

    private void changed() {
        if (!closed && scheduled.compareAndSet(false, true)) {
            executor.schedule(this::rebuild, settings.debounce().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void rebuild() {
        scheduled.set(false);
        if (closed) {
            return;
        }
        try {
            List<ConfigMap> maps = new ArrayList<>();
            tables.forEach(informer -> maps.addAll(informer.getStore().list()));
            List<EndpointSlice> all = new ArrayList<>();
            slices.forEach(informer -> all.addAll(informer.getStore().list()));
            RoutingTables.Resolution resolution = RoutingTables.resolve(maps, all, settings.namespaces(), lastGood);
            report(resolution);
            lastGood = resolution.used();
            if (!resolution.services().equals(last)) {
                last = resolution.services();
                updates.accept(last);
            }
        } catch (RuntimeException e) {
            LOG.error("Discovery could not rebuild the services; the previous ones keep serving", e);
        }
    }

    private void report(RoutingTables.Resolution resolution) {
        Map<String, List<String>> now = new HashMap<>(resolution.problems());
        now.forEach((table, problems) -> {
            if (!problems.equals(reported.get(table))) {
                LOG.error("Routing table {} is invalid; {}: {}", table, resolution.used().containsKey(table)
                        ? "its last valid version keeps serving" : "its services are not served",
                        String.join("; ", problems));
            }
        });
        reported.keySet().stream().filter(table -> !now.containsKey(table))
                .forEach(table -> LOG.info("Routing table {} is valid again (or gone)", table));
        reported = now;
    }

    @Override
    public void close() {
        closed = true;
        tables.forEach(SharedIndexInformer::close);
        slices.forEach(SharedIndexInformer::close);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsClient) {
            client.close();
        }
    }
}
