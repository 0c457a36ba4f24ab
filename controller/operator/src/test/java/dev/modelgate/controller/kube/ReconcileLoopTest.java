package dev.modelgate.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.reconcile.Observed;
import dev.modelgate.controller.reconcile.Reconcile;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReconcileLoopTest {

    private final AtomicLong nanos = new AtomicLong();
    private final WorkQueue<String> queue = new WorkQueue<>(nanos::get,
            new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10)));
    private final AtomicBoolean leading = new AtomicBoolean(true);
    private final AtomicInteger conflictsLeft = new AtomicInteger();
    private final List<String> applied = new ArrayList<>();
    private Reconcile decision = Reconcile.nothing();

    private final ReconcileLoop loop = new ReconcileLoop(queue, leading::get,
            key -> key.equals("ml/gone") ? Optional.empty() : Optional.of(md(key)),
            md -> new Observed(md, List.of(), List.of(), List.of(), List.of()),
            observed -> decision,
            (md, reconcile) -> {
                if (conflictsLeft.getAndDecrement() > 0) {
                    throw new ConflictException("409", null);
                }
                applied.add(md.getMetadata().getName());
            });

    private static ModelDeployment md(String key) {
        ModelDeployment md = new ModelDeployment();
        md.setMetadata(new ObjectMetaBuilder().withNamespace("ml").withName(key.substring(3)).build());
        return md;
    }

    private void runOnce() {
        loop.process(queue.poll().orElseThrow());
    }

    @Test
    void aConflictRequeuesTheKeyAfterItsBackOffAndSuccessForgetsTheFailures() {
        conflictsLeft.set(2);
        queue.add("ml/iris");

        runOnce();
        assertThat(queue.poll()).isEmpty();
        assertThat(queue.failures("ml/iris")).isEqualTo(1);
        nanos.addAndGet(Duration.ofMillis(100).toNanos());
        runOnce();
        assertThat(queue.failures("ml/iris")).isEqualTo(2);
        nanos.addAndGet(Duration.ofMillis(199).toNanos());
        assertThat(queue.poll()).as("the second retry waits twice as long").isEmpty();
        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        runOnce();

        assertThat(applied).containsExactly("iris");
        assertThat(queue.failures("ml/iris")).isZero();
    }

    @Test
    void aRequestedRequeueComesBackAfterTheDelay() {
        decision = new Reconcile(List.of(), List.of(), Optional.empty(), List.of(),
                Optional.of(Duration.ofSeconds(30)));
        queue.add("ml/iris");
        runOnce();

        nanos.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThat(queue.poll()).isEmpty();
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(queue.poll()).contains("ml/iris");
    }

    @Test
    void aFollowerAndADeletedDeploymentDoNothing() {
        leading.set(false);
        queue.add("ml/iris");
        runOnce();
        leading.set(true);
        queue.add("ml/gone");
        runOnce();

        assertThat(applied).isEmpty();
        assertThat(queue.poll()).isEmpty();
    }
}
