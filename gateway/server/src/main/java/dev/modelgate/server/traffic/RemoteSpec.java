package dev.modelgate.server.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a revision backed by remote replicas is reached: the replica endpoints (any Open Inference
 * Protocol server: a Modelgate runtime, Triton, MLServer) and the resilience settings Envoy would
 * put on its cluster. Read from the revision's own keys, flat beside {@code name}/{@code model}:
 *
 * <pre>
 * - {name: v2, model: iris, version: 2, endpoints: ["http://10.0.0.5:8080", "http://10.0.0.6:8080"],
 *    timeout: 2s, max-in-flight: 64, max-queue: 256, balancer: p2c, retries: 2}
 * - {name: v3, model: iris, version: 3, protocol: grpc, endpoints: ["10.0.0.7:8081"]}
 * </pre>
 *
 * Two revisions with equal specs share one backend (replicas, pools, health state).
 *
 * @param endpoints replica base URIs, {@code http://host:port}, or {@code grpc://host:port} for
 *     gRPC (written {@code host:port} or {@code grpc://host:port})
 * @param timeout the default per-request deadline; a request's OIP {@code timeout} may shorten it
 * @param maxInFlight requests sent to replicas at once, over all replicas
 * @param maxQueue requests waiting for an in-flight slot; more get 503 with Retry-After
 * @param balancer {@code p2c} (power of two choices on outstanding requests) or {@code round-robin}
 * @param retries retries of a request that never reached a replica, each to another replica (or,
 *     when none is left, once more to the one it never reached, on another connection)
 * @param retryBudget retries allowed as a fraction of requests over the last 10 s
 * @param rateLimit requests per second per client ({@code x-client-id} header); 0 for none
 * @param healthInterval how often each replica's {@code /v2/health/ready} is checked
 * @param ejectAfter consecutive failures (5xx, connect failures, timeouts) that eject a replica
 * @param ejectFor the first ejection's length; each further one doubles it, up to 32 times
 * @param protocol how replicas are spoken to: {@code http} (OIP REST, the default) or {@code grpc}
 *     (OIP gRPC: inference, metadata and health over one channel per replica)
 * @param attemptTimeout how long one attempt may go unanswered before the request moves on to
 *     another replica (when one is left and retries and the budget allow; else it waits on until
 *     the deadline); {@code null}: an attempt may use all the time left
 * @param scaleToZero {@code scale-to-zero: true}: an external autoscaler (the Kubernetes controller) may
 *     take the revision to zero replicas, so with no endpoint it is activating, not down: the gateway still
 *     routes its share to it and holds those requests until endpoints appear (the activator's buffer)
 * @param tls the CA bundle and client certificate for {@code https://} and {@code grpcs://}
 *     endpoints ({@link RemoteTls}), or {@code null}: the JDK's trusted CAs, no client certificate
 */
public record RemoteSpec(List<URI> endpoints, Duration timeout, int maxInFlight, int maxQueue,
        String balancer, int retries, double retryBudget, int rateLimit, Duration healthInterval,
        int ejectAfter, Duration ejectFor, String protocol, Duration attemptTimeout, boolean scaleToZero,
        RemoteTls tls) {
    public static final String HTTP = "http";
    public static final String GRPC = "grpc";
    static final Set<String> KEYS = Set.of("endpoints", "timeout", "max-in-flight", "max-queue",
            "balancer", "retries", "retry-budget", "rate-limit", "health-interval", "eject-after",
            "eject-for", "protocol", "attempt-timeout", "scale-to-zero", "ca-bundle", "client-cert",
            "client-key");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");

    public RemoteSpec {
        endpoints = List.copyOf(endpoints);
    }

    /** A spec with the JDK's trust for TLS endpoints and no client certificate. */
    public RemoteSpec(List<URI> endpoints, Duration timeout, int maxInFlight, int maxQueue,
            String balancer, int retries, double retryBudget, int rateLimit, Duration healthInterval,
            int ejectAfter, Duration ejectFor, String protocol, Duration attemptTimeout, boolean scaleToZero) {
        this(endpoints, timeout, maxInFlight, maxQueue, balancer, retries, retryBudget, rateLimit,
                healthInterval, ejectAfter, ejectFor, protocol, attemptTimeout, scaleToZero, null);
    }

    /** Whether an endpoint is {@code https://} or {@code grpcs://}. */
    public static boolean secure(URI endpoint) {
        return "https".equals(endpoint.getScheme()) || "grpcs".equals(endpoint.getScheme());
    }

    /** A spec that never sits at zero. */
    public RemoteSpec(List<URI> endpoints, Duration timeout, int maxInFlight, int maxQueue,
            String balancer, int retries, double retryBudget, int rateLimit, Duration healthInterval,
            int ejectAfter, Duration ejectFor, String protocol, Duration attemptTimeout) {
        this(endpoints, timeout, maxInFlight, maxQueue, balancer, retries, retryBudget, rateLimit,
                healthInterval, ejectAfter, ejectFor, protocol, attemptTimeout, false);
    }

    /** A spec without an attempt timeout. */
    public RemoteSpec(List<URI> endpoints, Duration timeout, int maxInFlight, int maxQueue,
            String balancer, int retries, double retryBudget, int rateLimit, Duration healthInterval,
            int ejectAfter, Duration ejectFor, String protocol) {
        this(endpoints, timeout, maxInFlight, maxQueue, balancer, retries, retryBudget, rateLimit,
                healthInterval, ejectAfter, ejectFor, protocol, null);
    }

    /**
     * These settings with other replicas (a routing source that learns the endpoints elsewhere);
     * an empty list is a revision with no replica ready: it takes no traffic until one appears.
     */
    public RemoteSpec withEndpoints(List<URI> replicas) {
        return new RemoteSpec(replicas, timeout, maxInFlight, maxQueue, balancer, retries,
                retryBudget, rateLimit, healthInterval, ejectAfter, ejectFor, protocol, attemptTimeout, scaleToZero,
                tls);
    }

    /** Reads the remote keys of a revision; {@code null} when it names no endpoints. */
    static RemoteSpec read(JsonNode node, String at, List<String> problems) {
        JsonNode list = node.get("endpoints");
        if (list == null || list.isNull()) {
            for (String key : KEYS) {
                if (node.has(key)) {
                    problems.add(at + "." + key + ": " + node.get(key)
                            + " (expected: only on a revision with endpoints)");
                }
            }
            return null;
        }
        String protocol = node.path("protocol").asText(HTTP);
        if (!protocol.equals(HTTP) && !protocol.equals(GRPC)) {
            problems.add(at + ".protocol: " + protocol + " (expected: http or grpc)");
            protocol = HTTP;
        }
        String form = protocol.equals(GRPC) ? "host:port, grpc://host:port or grpcs://host:port"
                : "http://host:port or https://host:port";
        List<URI> endpoints = new ArrayList<>();
        if (!list.isArray() || list.isEmpty()) {
            problems.add(at + ".endpoints: " + list + " (expected: a non-empty list of " + form + ")");
        } else {
            for (JsonNode item : list) {
                URI uri = endpoint(item, protocol);
                if (uri == null) {
                    problems.add(at + ".endpoints: " + item + " (expected: " + form + ")");
                } else {
                    endpoints.add(uri);
                }
            }
        }
        String balancer = node.path("balancer").asText("p2c");
        if (!balancer.equals("p2c") && !balancer.equals("round-robin")) {
            problems.add(at + ".balancer: " + balancer + " (expected: p2c or round-robin)");
        }
        double budget = node.path("retry-budget").asDouble(0.2);
        if (budget < 0 || budget > 1) {
            problems.add(at + ".retry-budget: " + budget + " (expected: 0 to 1)");
        }
        Duration timeout = duration(node, "timeout", null, at, problems);
        Duration attemptTimeout = duration(node, "attempt-timeout", null, at, problems);
        if (attemptTimeout != null && timeout != null && attemptTimeout.compareTo(timeout) >= 0) {
            problems.add(at + ".attempt-timeout: " + node.get("attempt-timeout").asText()
                    + " (expected: shorter than timeout " + node.get("timeout").asText() + ")");
            attemptTimeout = null;
        }
        JsonNode zero = node.get("scale-to-zero");
        if (zero != null && !zero.isNull() && !zero.isBoolean()) {
            problems.add(at + ".scale-to-zero: " + zero + " (expected: true or false)");
        }
        return new RemoteSpec(endpoints, timeout,
                integer(node, "max-in-flight", 64, 1, at, problems),
                integer(node, "max-queue", 256, 0, at, problems), balancer,
                integer(node, "retries", 2, 0, at, problems), budget,
                integer(node, "rate-limit", 0, 0, at, problems),
                duration(node, "health-interval", Duration.ofSeconds(1), at, problems),
                integer(node, "eject-after", 5, 1, at, problems),
                duration(node, "eject-for", Duration.ofSeconds(1), at, problems), protocol,
                attemptTimeout, zero != null && zero.asBoolean(false),
                RemoteTls.read(node, at, endpoints.stream().anyMatch(RemoteSpec::secure), problems));
    }

    private static URI endpoint(JsonNode item, String protocol) {
        if (!item.isTextual()) {
            return null;
        }
        String text = item.asText();
        if (protocol.equals(GRPC) && !text.contains("://")) {
            text = "grpc://" + text;
        }
        try {
            URI uri = new URI(text);
            boolean ok = (protocol.equals(uri.getScheme()) || (protocol + "s").equals(uri.getScheme()))
                    && uri.getHost() != null && uri.getPort() > 0
                    && (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"));
            return ok ? uri : null;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private static int integer(JsonNode node, String key, int otherwise, int min, String at,
            List<String> problems) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return otherwise;
        }
        if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > 1_000_000) {
            problems.add(at + "." + key + ": " + value + " (expected: an integer from " + min + ")");
            return otherwise;
        }
        return value.asInt();
    }

    private static Duration duration(JsonNode node, String key, Duration otherwise, String at,
            List<String> problems) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return otherwise;
        }
        Matcher m = DURATION.matcher(value.asText().trim().toLowerCase(Locale.ROOT));
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            problems.add(at + "." + key + ": " + value + " (expected: a duration such as 500ms, 2s, 1m)");
            return otherwise;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }
}
