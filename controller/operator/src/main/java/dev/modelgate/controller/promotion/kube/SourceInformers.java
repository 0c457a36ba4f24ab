package dev.modelgate.controller.promotion.kube;

import dev.modelgate.controller.ControllerException;
import dev.modelgate.controller.kube.Access;
import dev.modelgate.controller.promotion.SourceKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generic informers on the Kubeflow kinds that are installed. Kubeflow is optional and its parts are installed
 * separately (Trainer without Katib, v1 operator without v2), and an informer on a kind without a CRD only fails
 * and retries, so each kind is watched only once its CRD exists; {@link #probe()} is called periodically to pick up
 * kinds installed later. The kinds are read through a {@link ResourceDefinitionContext} (no discovery round trip,
 * and no Kubeflow types on the classpath).
 */
final class SourceInformers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SourceInformers.class);
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);

    private final KubernetesClient client;
    private final BiConsumer<SourceKind, GenericKubernetesResource> onChange;
    private final Map<SourceKind, SharedIndexInformer<GenericKubernetesResource>> informers =
            new EnumMap<>(SourceKind.class);

    SourceInformers(KubernetesClient client, BiConsumer<SourceKind, GenericKubernetesResource> onChange) {
        this.client = client;
        this.onChange = onChange;
    }

    /** Starts an informer for every kind not watched yet whose CRD now exists; returns those kinds. */
    synchronized List<SourceKind> probe() {
        List<SourceKind> started = new ArrayList<>();
        for (SourceKind kind : SourceKind.values()) {
            if (informers.containsKey(kind) || !installed(kind)) {
                continue;
            }
            Access.of(kind.group(), kind.plural()).require("watch");
            ResourceDefinitionContext context = new ResourceDefinitionContext.Builder().withGroup(kind.group())
                    .withVersion(kind.version()).withKind(kind.kind()).withPlural(kind.plural())
                    .withNamespaced(true).build();
            SharedIndexInformer<GenericKubernetesResource> informer = client.genericKubernetesResources(context)
                    .inAnyNamespace().runnableInformer(0);
            informer.addEventHandler(new ResourceEventHandler<>() {
                @Override
                public void onAdd(GenericKubernetesResource obj) {
                    onChange.accept(kind, obj);
                }

                @Override
                public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
                    onChange.accept(kind, newObj);
                }

                @Override
                public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
                    onChange.accept(kind, obj);
                }
            });
            try {
                informer.start().toCompletableFuture().get(SYNC_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                informer.close();
                return started;
            } catch (Exception e) {
                informer.close();
                throw new ControllerException("informer on " + kind.crdName() + " did not sync: " + e.getMessage(),
                        e);
            }
            informers.put(kind, informer);
            started.add(kind);
            LOG.info("watching {} for promotions", kind.crdName());
        }
        return started;
    }

    /** Whether the kind is watched (its CRD was found). */
    synchronized boolean watching(SourceKind kind) {
        return informers.containsKey(kind);
    }

    /** The cached objects of a kind in a namespace; empty when the kind is not watched. */
    synchronized List<GenericKubernetesResource> list(SourceKind kind, String namespace) {
        SharedIndexInformer<GenericKubernetesResource> informer = informers.get(kind);
        if (informer == null) {
            return List.of();
        }
        return informer.getStore().list().stream()
                .filter(o -> namespace.equals(o.getMetadata().getNamespace())).toList();
    }

    @Override
    public synchronized void close() {
        informers.values().forEach(SharedIndexInformer::close);
        informers.clear();
    }

    private boolean installed(SourceKind kind) {
        Access.CUSTOM_RESOURCE_DEFINITIONS.require("get");
        try {
            return client.apiextensions().v1().customResourceDefinitions().withName(kind.crdName()).get() != null;
        } catch (KubernetesClientException e) {
            if (!Thread.currentThread().isInterrupted()) {
                LOG.warn("cannot tell whether {} is installed: {}", kind.crdName(), e.getMessage());
            }
            return false;
        }
    }
}
