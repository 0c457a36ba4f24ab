package dev.modelgate.loadtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The command line up to the point where it would connect: usage and refusals, no sockets. */
class ModelgateLoadTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return ModelgateLoad.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void refusesANonLoopbackHostWithAClearError() {
        int status = run("--url", "http://192.168.1.20:8080", "--model", "iris", "--rate", "10", "--duration", "1s");

        assertThat(status).isEqualTo(ModelgateLoad.EXIT_USAGE);
        assertThat(err.toString()).contains("bad usage", "url: http://192.168.1.20:8080 (expected: a loopback host",
                "refuses other hosts as a safety rule");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void needsABound() {
        assertThat(run("--url", "http://127.0.0.1:8080", "--model", "iris", "--rate", "10"))
                .isEqualTo(ModelgateLoad.EXIT_USAGE);
        assertThat(err.toString()).contains("requests, duration: neither given");
    }

    @Test
    void missingOrMalformedOptionsAreUsageErrors() {
        assertThat(run("--model", "iris", "--rate", "10", "--requests", "5")).isEqualTo(ModelgateLoad.EXIT_USAGE);
        assertThat(err.toString()).contains("Missing required option: '--url");
        assertThat(run("--url", "http://127.0.0.1:1", "--model", "m", "--rate", "fast", "--requests", "5"))
                .isEqualTo(ModelgateLoad.EXIT_USAGE);
    }

    @Test
    void aBadKeyHeaderIsAUsageError() {
        int status = run("--url", "http://127.0.0.1:1", "--model", "iris", "--rate", "10", "--requests", "1",
                "--key-header", "Host");

        assertThat(status).isEqualTo(ModelgateLoad.EXIT_USAGE);
        assertThat(err.toString()).contains("  key-header: Host (expected: a header the generator does not set itself");
    }

    @Test
    void helpExitsZero() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("modelgate-load", "--schedule", "--concurrency", "--binary", "--html",
                "--key-header");
    }
}
