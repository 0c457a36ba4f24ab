package dev.modelgate.loadtests;

import java.util.ArrayList;
import java.util.List;

/** A clock that moves only when parked or told; parking can overshoot to play a slow generator. */
final class FakeClock implements Clock {
    private long now;
    private long overshootNanos;
    private final List<long[]> hookTimes = new ArrayList<>();
    private final List<Runnable> hooks = new ArrayList<>();

    FakeClock(long start) {
        this.now = start;
    }

    /** Every park ends this much after its deadline. */
    FakeClock overshootBy(long nanos) {
        this.overshootNanos = nanos;
        return this;
    }

    /** Runs {@code hook} once, the first time the clock reaches {@code at}. */
    FakeClock when(long at, Runnable hook) {
        hookTimes.add(new long[] {at});
        hooks.add(hook);
        return this;
    }

    synchronized void advance(long nanos) {
        now += nanos;
        fire();
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized void parkUntil(long deadline) {
        if (deadline > now) {
            now = deadline + overshootNanos;
        }
        fire();
    }

    private void fire() {
        for (int i = 0; i < hooks.size(); i++) {
            if (hookTimes.get(i)[0] <= now && hooks.get(i) != null) {
                Runnable hook = hooks.get(i);
                hooks.set(i, null);
                hook.run();
            }
        }
    }
}
