package dev.modelgate.autoscaler.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ScaleTarget} must do, as an abstract JUnit class: the in-process and local
 * replica actuators, the controller's Deployment scaler and the test fake each extend it. Shipped
 * in this module's test jar ({@code modelgate-autoscaler}, classifier {@code tests}).
 *
 * <p>Actuators start and stop replicas asynchronously, so the kit never waits by sleeping: a
 * subclass implements {@link #settle} to wait (with a latch, Awaitility or a fake clock) until no
 * replica is starting or stopping.
 */
public abstract class ScaleTargetCompatibilityKit {
    private ScaleTarget target;

    /** A target with no replicas. */
    protected abstract ScaleTarget create() throws Exception;

    /** Returns once every start and stop asked of {@code target} has finished. */
    protected abstract void settle(ScaleTarget target) throws Exception;

    /** Releases what {@link #create} made (processes, executors). */
    protected void release(ScaleTarget target) throws Exception {
    }

    @BeforeEach
    void createTarget() throws Exception {
        target = create();
    }

    @AfterEach
    void releaseTarget() throws Exception {
        target.scaleTo(0);
        settle(target);
        release(target);
    }

    @Test
    void startsAtZero() {
        assertThat(target.ready()).isZero();
        assertThat(target.pending()).isZero();
    }

    @Test
    void scaleToCountsAtOnceAndBecomesReady() throws Exception {
        target.scaleTo(3);
        assertThat(target.ready() + target.pending()).isEqualTo(3);
        settle(target);
        assertThat(target.ready()).isEqualTo(3);
        assertThat(target.pending()).isZero();
    }

    @Test
    void scalesDownAndToZero() throws Exception {
        target.scaleTo(3);
        settle(target);
        target.scaleTo(1);
        settle(target);
        assertThat(target.ready()).isEqualTo(1);
        target.scaleTo(0);
        settle(target);
        assertThat(target.ready()).isZero();
        assertThat(target.pending()).isZero();
    }

    @Test
    void isIdempotent() throws Exception {
        target.scaleTo(2);
        target.scaleTo(2);
        settle(target);
        assertThat(target.ready()).isEqualTo(2);
    }

    @Test
    void scalingDownWhileStartingCancelsStarts() throws Exception {
        target.scaleTo(4);
        target.scaleTo(1);
        assertThat(target.ready() + target.pending()).isLessThanOrEqualTo(1);
        settle(target);
        assertThat(target.ready()).isEqualTo(1);
    }

    @Test
    void measuresStartupOnceAReplicaStarted() throws Exception {
        target.scaleTo(1);
        settle(target);
        assertThat(target.measuredStartup()).hasValueSatisfying(d -> assertThat(d).isGreaterThan(Duration.ZERO));
    }
}
