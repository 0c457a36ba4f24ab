package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closed-loop load from a few threads, each sending its next request when the last is answered, so the gateway
 * sees a steady concurrency to scale on; every answer that is not a 200 is kept to be shown when the test fails.
 */
final class Load implements AutoCloseable {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger ok = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();

    Load(Callable<HttpResponse<String>> request, int concurrency) {
        for (int i = 0; i < concurrency; i++) {
            Thread t = new Thread(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> answer = request.call();
                        if (answer.statusCode() == 200) {
                            ok.incrementAndGet();
                        } else {
                            failures.add(answer.statusCode() + " " + answer.body());
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            }, "load-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    void assertServedWithoutFailure(int atLeast) throws InterruptedException {
        close();
        assertThat(failures).as("failed requests").isEmpty();
        assertThat(ok.get()).as("requests answered").isGreaterThanOrEqualTo(atLeast);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(15_000);
        }
    }
}
