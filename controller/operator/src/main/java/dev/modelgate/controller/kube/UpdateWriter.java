package dev.modelgate.controller.kube;

import dev.modelgate.controller.reconcile.Names;
import dev.modelgate.controller.reconcile.Reconcile.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Map;
import java.util.Objects;

/**
 * Writes by get + update with the read {@code resourceVersion}. An object whose content hash (and, for a
 * Deployment, replica count) is unchanged is not written, so a quiet cluster sees no writes and the informers no
 * echo of our own updates.
 */
final class UpdateWriter implements ObjectWriter {

    private final KubernetesClient client;

    UpdateWriter(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public boolean write(HasMetadata desired) {
        return replace(read(desired), desired);
    }

    /** The object as the server has it now, or null. */
    HasMetadata read(HasMetadata desired) {
        access(desired.getKind()).require("get");
        return client.resource(desired).get();
    }

    /** Creates or updates from what {@link #read} returned; someone writing in between makes it a conflict. */
    boolean replace(HasMetadata existing, HasMetadata desired) {
        Access access = access(desired.getKind());
        try {
            if (existing == null) {
                access.require("create");
                client.resource(desired).create();
                return true;
            }
            if (unchanged(existing, desired)) {
                return false;
            }
            access.require("update");
            HasMetadata update = client.getKubernetesSerialization().clone(desired);
            update.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
            client.resource(update).update();
            return true;
        } catch (KubernetesClientException e) {
            throw conflictOr(e, ObjectKey.of(desired));
        }
    }

    @Override
    public void delete(ObjectKey key) {
        Access access = access(key.kind());
        access.require("delete");
        try {
            switch (key.kind()) {
                case "Deployment" -> client.apps().deployments().inNamespace(key.namespace()).withName(key.name())
                        .delete();
                case "Service" -> client.services().inNamespace(key.namespace()).withName(key.name()).delete();
                case "ConfigMap" -> client.configMaps().inNamespace(key.namespace()).withName(key.name()).delete();
                default -> throw new IllegalArgumentException("kind: " + key.kind()
                        + " (expected: Deployment, Service or ConfigMap)");
            }
        } catch (KubernetesClientException e) {
            throw conflictOr(e, key);
        }
    }

    static Access access(String kind) {
        return switch (kind) {
            case "Deployment" -> Access.DEPLOYMENTS;
            case "Service" -> Access.SERVICES;
            case "ConfigMap" -> Access.CONFIG_MAPS;
            default -> throw new IllegalArgumentException("kind: " + kind
                    + " (expected: Deployment, Service or ConfigMap)");
        };
    }

    private static boolean unchanged(HasMetadata existing, HasMetadata desired) {
        Map<String, String> before = existing.getMetadata().getAnnotations();
        String hash = before == null ? null : before.get(Names.SPEC_HASH_ANNOTATION);
        if (!Objects.equals(hash, desired.getMetadata().getAnnotations().get(Names.SPEC_HASH_ANNOTATION))) {
            return false;
        }
        return !(existing instanceof Deployment old && desired instanceof Deployment wanted)
                || Objects.equals(old.getSpec().getReplicas(), wanted.getSpec().getReplicas());
    }

    static RuntimeException conflictOr(KubernetesClientException e, ObjectKey key) {
        if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
            return new ConflictException("conflict writing " + key + ": " + e.getMessage(), e);
        }
        return e;
    }
}
