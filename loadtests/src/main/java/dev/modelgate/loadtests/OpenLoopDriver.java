package dev.modelgate.loadtests;

/**
 * Sends requests at the times the schedule says, whatever the target does: the open loop. It
 * never waits for an answer before sending the next request; when it falls behind (a pause of
 * its own, a slow machine) it sends the overdue requests at once and reports the lateness, and
 * when more than {@code maxOutstanding} requests are in flight it counts the next ones as
 * {@code not-sent} errors instead of slowing down, which would hide the target's latency.
 */
final class OpenLoopDriver {
    private final Clock clock;
    private final Transport transport;
    private final WarmupSchedule schedule;
    private final RunLimits limits;

    OpenLoopDriver(Clock clock, Transport transport, WarmupSchedule schedule, RunLimits limits) {
        this.clock = clock;
        this.transport = transport;
        this.schedule = schedule;
        this.limits = limits;
    }

    /** Runs the schedule to its bound, waits for the answers, and returns what was recorded. */
    LatencyRecorder run() throws InterruptedException {
        long start = clock.nanoTime();
        long measuredStart = start + schedule.warmupNanos();
        long endOffset = limits.durationNanos() > 0 ? schedule.warmupNanos() + limits.durationNanos() : Long.MAX_VALUE;
        LatencyRecorder recorder = new LatencyRecorder(clock, measuredStart, limits.lateThresholdNanos());
        Outstanding outstanding = new Outstanding();
        long warmupRequests = schedule.warmupRequests();
        long lastIntended = start;
        for (long i = 0; !Thread.currentThread().isInterrupted(); i++) {
            boolean measured = i >= warmupRequests;
            if (measured && limits.requests() > 0 && i - warmupRequests >= limits.requests()) {
                break;
            }
            long offset = schedule.intendedSendNanos(i);
            if (offset >= endOffset) {
                break;
            }
            long intended = start + offset;
            lastIntended = intended;
            clock.parkUntil(intended);
            send(intended, measured, recorder, outstanding);
        }
        long drainMillis = Math.max(0, (lastIntended + limits.timeoutNanos() - clock.nanoTime()) / 1_000_000) + 1_000;
        outstanding.awaitZero(drainMillis);
        return recorder;
    }

    private void send(long intended, boolean measured, LatencyRecorder recorder, Outstanding outstanding) {
        if (!outstanding.tryAcquire(limits.maxOutstanding())) {
            if (measured) {
                recorder.recordOutcome(intended, Outcome.failed(Outcome.Failure.NOT_SENT));
            }
            return;
        }
        if (measured) {
            recorder.recordSend(intended);
        }
        transport.send(new Exchange(intended, intended + limits.timeoutNanos(), outcome -> {
            if (measured) {
                recorder.recordOutcome(intended, outcome);
            }
            outstanding.release();
        }));
    }
}
