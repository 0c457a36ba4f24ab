package dev.modelgate.loadtests;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * A transport without sockets: each exchange is answered at once after moving the clock by the
 * service time, or held until {@link #releaseHeld()} when holding.
 */
final class FakeTransport implements Transport {
    private final FakeClock clock;
    private final long serviceNanos;
    private final LongFunction<Outcome> answer;
    private final List<Exchange> held = new ArrayList<>();
    private boolean holding;
    private long sent;

    FakeTransport(FakeClock clock, long serviceNanos, LongFunction<Outcome> answer) {
        this.clock = clock;
        this.serviceNanos = serviceNanos;
        this.answer = answer;
    }

    static FakeTransport ok(FakeClock clock, long serviceNanos) {
        return new FakeTransport(clock, serviceNanos, n -> Outcome.response(200, "stable"));
    }

    FakeTransport holding() {
        holding = true;
        return this;
    }

    long sent() {
        return sent;
    }

    void releaseHeld() {
        holding = false;
        List<Exchange> toEnd = new ArrayList<>(held);
        held.clear();
        toEnd.forEach(e -> e.complete(answer.apply(sent)));
    }

    @Override
    public void send(Exchange exchange) {
        long n = sent++;
        if (holding) {
            held.add(exchange);
            return;
        }
        clock.advance(serviceNanos);
        exchange.complete(answer.apply(n));
    }

    @Override
    public void close() {
        held.forEach(e -> e.complete(Outcome.failed(Outcome.Failure.TIMEOUT)));
    }
}
