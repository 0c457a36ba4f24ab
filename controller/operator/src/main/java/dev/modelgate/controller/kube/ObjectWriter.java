package dev.modelgate.controller.kube;

import dev.modelgate.controller.reconcile.Reconcile.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * How desired objects reach the API server. The tested path is {@link #getAndUpdate}: read, then update carrying
 * the {@code resourceVersion} (409 becomes a {@link ConflictException}), which fabric8's mock server supports.
 * {@link #serverSideApply} is the production alternative behind the same seam; the mock server rejects
 * server-side apply (fabric8 issue #5360), so no test goes through it.
 */
public interface ObjectWriter {

    /** Creates the object or updates it when its content changed; returns whether anything was written. */
    boolean write(HasMetadata desired);

    /** Deletes an owned object if it exists. */
    void delete(ObjectKey key);

    /** Get + update with optimistic locking. */
    static ObjectWriter getAndUpdate(io.fabric8.kubernetes.client.KubernetesClient client) {
        return new UpdateWriter(client);
    }

    /** Server-side apply with the controller as field manager (not usable against the mock server). */
    static ObjectWriter serverSideApply(io.fabric8.kubernetes.client.KubernetesClient client) {
        return new ApplyWriter(client);
    }
}
