package dev.modelgate.controller.kube;

import dev.modelgate.controller.reconcile.Names;
import dev.modelgate.controller.reconcile.Reconcile.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Server-side apply: one PATCH per object with the controller as field manager, so fields other managers own (the
 * autoscaler's replicas through {@code scale}, for instance) are left alone. Needs the {@code patch} verb, which
 * {@link Access} does not list because the default writer does not use it: enable both together.
 */
final class ApplyWriter implements ObjectWriter {

    private final KubernetesClient client;
    private final UpdateWriter deletes;

    ApplyWriter(KubernetesClient client) {
        this.client = client;
        this.deletes = new UpdateWriter(client);
    }

    @Override
    public boolean write(HasMetadata desired) {
        UpdateWriter.access(desired.getKind()).require("patch");
        try {
            client.resource(desired).fieldManager(Names.MANAGER).forceConflicts().serverSideApply();
            return true;
        } catch (KubernetesClientException e) {
            throw UpdateWriter.conflictOr(e, ObjectKey.of(desired));
        }
    }

    @Override
    public void delete(ObjectKey key) {
        deletes.delete(key);
    }
}
