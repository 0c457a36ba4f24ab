package dev.modelgate.controller.kube;

import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.reconcile.Observed;
import dev.modelgate.controller.reconcile.Reconcile;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One turn of a worker: take a key's ModelDeployment from the cache, decide, act, and tell the queue how it went.
 * Success forgets the key's failures and honours the requested requeue; a conflict or any failure retries the key
 * after its back-off. Kept apart from the threads and informers so the retry rules are tested with a fake clock.
 */
final class ReconcileLoop {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileLoop.class);

    private final WorkQueue<String> queue;
    private final BooleanSupplier leading;
    private final Function<String, Optional<ModelDeployment>> lookup;
    private final Function<ModelDeployment, Observed> observe;
    private final Function<Observed, Reconcile> decide;
    private final BiConsumer<ModelDeployment, Reconcile> act;

    ReconcileLoop(WorkQueue<String> queue, BooleanSupplier leading,
            Function<String, Optional<ModelDeployment>> lookup, Function<ModelDeployment, Observed> observe,
            Function<Observed, Reconcile> decide, BiConsumer<ModelDeployment, Reconcile> act) {
        this.queue = queue;
        this.leading = leading;
        this.lookup = lookup;
        this.observe = observe;
        this.decide = decide;
        this.act = act;
    }

    /** Processes one key handed out by the queue; always marks it done. */
    void process(String key) {
        try {
            if (!leading.getAsBoolean()) {
                return;
            }
            Optional<ModelDeployment> md = lookup.apply(key);
            if (md.isEmpty()) {
                queue.forget(key);
                return;
            }
            Reconcile reconcile = decide.apply(observe.apply(md.get()));
            act.accept(md.get(), reconcile);
            queue.forget(key);
            reconcile.requeueAfter().ifPresent(delay -> queue.addAfter(key, delay));
        } catch (ConflictException e) {
            LOG.debug("{}: {}; again in {}", key, e.getMessage(), queue.retry(key));
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            LOG.warn("reconcile of {} failed; again in {}", key, queue.retry(key), e);
        } finally {
            queue.done(key);
        }
    }
}
