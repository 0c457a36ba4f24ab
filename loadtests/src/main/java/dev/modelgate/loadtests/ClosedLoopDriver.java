package dev.modelgate.loadtests;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fixed number of workers, each sending its next request as soon as the previous one is
 * answered: the closed loop that most benchmarks run. It is here for comparison: when the target
 * stalls, each worker waits with it and records one slow request, and the requests it would have
 * sent meanwhile are never measured (coordinated omission). Latency is taken from the actual send.
 */
final class ClosedLoopDriver {
    private final Clock clock;
    private final Transport transport;
    private final int concurrency;
    private final long warmupNanos;
    private final RunLimits limits;

    ClosedLoopDriver(Clock clock, Transport transport, int concurrency, long warmupNanos, RunLimits limits) {
        this.clock = clock;
        this.transport = transport;
        this.concurrency = concurrency;
        this.warmupNanos = warmupNanos;
        this.limits = limits;
    }

    LatencyRecorder run() throws InterruptedException {
        long start = clock.nanoTime();
        Run run = new Run(start + warmupNanos);
        for (int i = 0; i < concurrency; i++) {
            run.next();
        }
        run.finished.await();
        return run.recorder;
    }

    private final class Run {
        final long measuredStart;
        final long end;
        final LatencyRecorder recorder;
        final AtomicLong measuredSent = new AtomicLong();
        final CountDownLatch finished = new CountDownLatch(concurrency);

        Run(long measuredStart) {
            this.measuredStart = measuredStart;
            this.end = limits.durationNanos() > 0 ? measuredStart + limits.durationNanos() : Long.MAX_VALUE;
            this.recorder = new LatencyRecorder(clock, measuredStart, limits.lateThresholdNanos());
        }

        /** One worker's next request, or its end when the run is over. */
        void next() {
            long now = clock.nanoTime();
            boolean measured = now - measuredStart >= 0;
            if (now - end >= 0 || Thread.currentThread().isInterrupted()
                    || (measured && limits.requests() > 0 && measuredSent.getAndIncrement() >= limits.requests())) {
                finished.countDown();
                return;
            }
            if (measured) {
                recorder.recordSend(now);
            }
            transport.send(new Exchange(now, now + limits.timeoutNanos(), outcome -> {
                if (measured) {
                    recorder.recordOutcome(now, outcome);
                }
                next();
            }));
        }
    }
}
