package dev.modelgate.server.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What one client connection may hold and how long it may dawdle, and how a drain treats open
 * connections. The defaults follow the proxies clients already meet in front of model servers:
 * nginx's {@code client_header_timeout} (60 s) and Knative's queue-proxy drain (keep serving for a
 * while after readiness turns 503, so load balancers that have not yet noticed lose nothing).
 *
 * @param maxPipelinedRequests requests one HTTP/1.1 connection may have read and not yet answered
 *     ({@code max-pipelined-requests}); past it the connection stops reading until answers are
 *     written, so a pipelining client is slowed down, never dropped
 * @param headerTimeout how long a client may take to send a request's line and headers, counted
 *     from the connection's accept or the request's first byte ({@code header-timeout}); slower
 *     ones are closed (slow-loris)
 * @param maxConnectionsPerClient open connections one client address may hold on the data plane
 *     ({@code max-connections-per-client}); more are closed at accept; 0 for no cap
 * @param drainDelay on SIGTERM, how long open connections keep being served after readiness turns
 *     503, each answer with {@code Connection: close} (gRPC: GOAWAY), before idle connections close
 *     and in-flight requests get {@code drain-timeout} to finish ({@code drain-delay}; 0 for none)
 */
public record ConnectionLimits(int maxPipelinedRequests, Duration headerTimeout,
        int maxConnectionsPerClient, Duration drainDelay) {

    public static final int DEFAULT_MAX_PIPELINED_REQUESTS = 64;
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 1024;
    public static final Duration DEFAULT_DRAIN_DELAY = Duration.ofSeconds(5);

    static final Set<String> KEYS = Set.of("max-pipelined-requests", "header-timeout",
            "max-connections-per-client", "drain-delay");

    public ConnectionLimits {
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        Objects.requireNonNull(drainDelay, "drainDelay");
    }

    /** The defaults above. */
    public static ConnectionLimits defaults() {
        return new ConnectionLimits(DEFAULT_MAX_PIPELINED_REQUESTS, DEFAULT_HEADER_TIMEOUT,
                DEFAULT_MAX_CONNECTIONS_PER_CLIENT, DEFAULT_DRAIN_DELAY);
    }

    static ConnectionLimits read(ConfigValues in) {
        int pipelined = in.integer("max-pipelined-requests", DEFAULT_MAX_PIPELINED_REQUESTS, 1,
                1 << 16);
        Duration header = in.duration("header-timeout", DEFAULT_HEADER_TIMEOUT);
        int perClient = in.integer("max-connections-per-client",
                DEFAULT_MAX_CONNECTIONS_PER_CLIENT, 0, 1 << 20);
        Duration delay = in.durationOrZero("drain-delay", DEFAULT_DRAIN_DELAY);
        return new ConnectionLimits(pipelined, header, perClient, delay);
    }

    /** These limits without a drain delay (the gateway's own replicas: it stops routing first). */
    public ConnectionLimits withDrainDelay(Duration delay) {
        return new ConnectionLimits(maxPipelinedRequests, headerTimeout, maxConnectionsPerClient,
                delay);
    }
}
