package dev.modelgate.server.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.server.json.JsonLimits;
import dev.modelgate.server.traffic.ServiceConfig;
import dev.modelgate.server.traffic.ServiceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The server's settings, from a YAML file ({@code --config}) overlaid with command-line flags, all
 * keys kebab-case. Immutable and validated once by {@link #from}, which reports every problem.
 *
 * @param httpPort the REST port; 0 picks a free one
 * @param bindAddress the address to listen on
 * @param maxRequestSize the largest request body, in bytes; larger ones get 413
 * @param modelRepository the Triton-layout model directory
 * @param requestTimeout how long a request may take end to end before it gets 504
 * @param idleTimeout how long an idle keep-alive connection stays open
 * @param ioThreads Netty event-loop threads
 * @param codecThreads threads that decode and encode JSON bodies off the event loop
 * @param queueCapacity requests each model version may hold waiting for an instance
 * @param adminPort the admin API, {@code /metrics} and dashboard port; 0 picks a free one
 * @param adminToken the bearer token admin calls need ({@code admin-token-file}), or {@code null}
 * @param services the configured inference services (the {@code services} block)
 * @param shadowInFlight how many shadow copies may be in flight before more are dropped
 * @param grpcPort the gRPC port (default 8081, or 0 when httpPort is 0); 0 picks a free one
 * @param grpcMaxMessageSize the largest inbound gRPC message, in bytes (gRPC's own 4 MiB default is
 *     too small for tensors)
 * @param accessLog the access log format of logger {@code modelgate.access} ({@code access-log}:
 *     json, text or off; default text)
 * @param drainTimeout on SIGTERM, how long admitted requests may take to finish before the server
 *     closes ({@code drain-timeout}, default 30s)
 * @param rollouts the services' {@code rollout:} blocks and where rollout state is kept
 * @param modelControl whether {@code serve} lets clients load and unload models through the
 *     repository extension ({@code model-control}: none, the default, or explicit, as Triton's
 *     {@code --model-control-mode}); {@code runtime} always does
 * @param connections per-connection limits, timeouts and the drain delay ({@link ConnectionLimits})
 * @param metricsNeedToken whether {@code /metrics} needs the admin token too ({@code
 *     metrics-need-token}, default false: Prometheus scrapes it without one)
 * @param sharedMemory whether Triton's system shared memory extension is on ({@link SharedMemoryMode})
 * @param auth the data plane's clients and their hashed keys ({@code auth:}, {@link AuthConfig})
 * @param tls TLS on the ports and client certificates ({@code tls:}, {@link TlsConfig}; off by default)
 */
public record ServerConfig(int httpPort, String bindAddress, int maxRequestSize,
        Path modelRepository, Duration requestTimeout, Duration idleTimeout, int ioThreads,
        int codecThreads, int queueCapacity, int adminPort, String adminToken,
        List<ServiceSpec> services, int shadowInFlight, int grpcPort, int grpcMaxMessageSize,
        AccessLog accessLog, Duration drainTimeout, RolloutsConfig rollouts,
        ModelControl modelControl, ConnectionLimits connections, boolean metricsNeedToken,
        SharedMemoryMode sharedMemory, AuthConfig auth,
        TlsConfig tls) {

    /** How each answered request is logged: one JSON object, one key=value line, or not at all. */
    public enum AccessLog { JSON, TEXT, OFF }

    /** Triton's model control modes that apply here: none (read-only repository) or explicit. */
    public enum ModelControl { NONE, EXPLICIT }

    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final int DEFAULT_GRPC_PORT = 8081;
    public static final int DEFAULT_GRPC_MAX_MESSAGE_SIZE = 64 << 20;
    public static final int DEFAULT_MAX_REQUEST_SIZE = 64 << 20;
    public static final int DEFAULT_ADMIN_PORT = 8082;

    private static final ObjectMapper YAML_TREE = JsonLimits.jsonMapper();

    static final Set<String> KEYS = keys("http-port", "bind-address", "max-request-size",
            "model-repository", "request-timeout", "idle-timeout", "io-threads", "codec-threads",
            "queue-capacity", "admin-port", "admin-token-file", "services", "shadow-in-flight",
            "grpc-port", "grpc-max-message-size", "access-log", "drain-timeout", "rollout-state-dir",
            "prometheus-url", "rollout-tick", "model-control", "metrics-need-token",
            AuthConfig.KEY, "tls");

    private static Set<String> keys(String... own) {
        Set<String> keys = new java.util.HashSet<>(Set.of(own));
        keys.addAll(ConnectionLimits.KEYS);
        keys.add(SharedMemoryMode.KEY);
        return Set.copyOf(keys);
    }

    public ServerConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(modelRepository, "modelRepository");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        services = List.copyOf(services);
        Objects.requireNonNull(accessLog, "accessLog");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(rollouts, "rollouts");
        Objects.requireNonNull(modelControl, "modelControl");
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(sharedMemory, "sharedMemory");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(tls, "tls");
    }

    /**
     * Reads and validates a kebab-case map. Relative paths resolve against {@code baseDir}.
     *
     * @throws ConfigException listing every problem, naming {@code source}
     */
    public static ServerConfig from(Map<String, ?> values, Path baseDir, String source) {
        ConfigProblems problems = new ConfigProblems();
        ConfigValues in = new ConfigValues(values, problems);
        in.rejectUnknown(KEYS);
        int cores = Runtime.getRuntime().availableProcessors();
        int port = in.integer("http-port", DEFAULT_HTTP_PORT, 0, 65_535);
        String bind = in.string("bind-address", "0.0.0.0");
        long maxSize = in.size("max-request-size", DEFAULT_MAX_REQUEST_SIZE, 1, Integer.MAX_VALUE);
        Duration timeout = in.duration("request-timeout", Duration.ofSeconds(30));
        Duration idle = in.duration("idle-timeout", Duration.ofSeconds(60));
        int io = in.integer("io-threads", cores, 1, 1024);
        int codec = in.integer("codec-threads", cores, 1, 1024);
        int queue = in.integer("queue-capacity", 1024, 1, 1 << 20);
        // A free REST port (tests, side-by-side servers) implies a free gRPC port unless one is set.
        int grpcPort = in.integer("grpc-port", port == 0 ? 0 : DEFAULT_GRPC_PORT, 0, 65_535);
        long grpcMax = in.size("grpc-max-message-size", DEFAULT_GRPC_MAX_MESSAGE_SIZE, 1024,
                Integer.MAX_VALUE);
        if (grpcPort == port && port != 0) {
            problems.add("grpc-port", grpcPort, "a port other than http-port " + port);
        }
        int adminPort = in.integer("admin-port", DEFAULT_ADMIN_PORT, 0, 65_535);
        if (adminPort != 0 && (adminPort == port || adminPort == grpcPort)) {
            problems.add("admin-port", adminPort, "a port other than http-port " + port
                    + " and grpc-port " + grpcPort);
        }
        int shadowInFlight = in.integer("shadow-in-flight", 64, 1, 1 << 16);
        String token = token(in, baseDir, problems);
        AccessLog accessLog = accessLog(in.string("access-log", "text"), problems);
        Duration drain = in.duration("drain-timeout", Duration.ofSeconds(30));
        ModelControl control = modelControl(in.string("model-control", "none"), problems);
        ConnectionLimits connections = ConnectionLimits.read(in);
        boolean metricsNeedToken = in.bool("metrics-need-token", false);
        SharedMemoryMode sharedMemory = SharedMemoryMode.read(in, problems);
        AuthConfig auth = AuthConfig.read(in, problems);
        if (metricsNeedToken && token == null) {
            problems.add("metrics-need-token", true, "an admin-token-file to check against");
        }
        List<String> serviceProblems = new ArrayList<>();
        List<ServiceSpec> services = ServiceConfig.read(
                YAML_TREE.valueToTree(values.get("services")), serviceProblems);
        serviceProblems.forEach(problems::add);
        RolloutsConfig rollouts = RolloutsConfig.read(values, in, baseDir, problems);
        Path repository = repository(in, baseDir, problems);
        TlsConfig tls = TlsConfig.read(in, baseDir, problems);
        if (idle.compareTo(timeout) <= 0 && in.has("idle-timeout")) {
            problems.add("idle-timeout", values.get("idle-timeout"),
                    "longer than request-timeout " + timeout);
        }
        problems.throwIfAny(source);
        return new ServerConfig(port, bind, (int) maxSize, repository, timeout, idle, io, codec,
                queue, adminPort, token, services, shadowInFlight, grpcPort, (int) grpcMax,
                accessLog, drain, rollouts, control, connections, metricsNeedToken, sharedMemory, auth,
                tls);
    }

    private static ModelControl modelControl(String value, ConfigProblems problems) {
        for (ModelControl mode : ModelControl.values()) {
            if (mode.name().equalsIgnoreCase(value)) {
                return mode;
            }
        }
        problems.add("model-control", value, "none or explicit");
        return ModelControl.NONE;
    }

    private static AccessLog accessLog(String value, ConfigProblems problems) {
        if ("false".equals(value)) {
            // YAML 1.1 reads a bare `off` as the boolean false
            return AccessLog.OFF;
        }
        for (AccessLog format : AccessLog.values()) {
            if (format.name().equalsIgnoreCase(value)) {
                return format;
            }
        }
        problems.add("access-log", value, "json, text or off");
        return AccessLog.TEXT;
    }

    private static String token(ConfigValues in, Path baseDir, ConfigProblems problems) {
        String file = in.string("admin-token-file", null);
        if (file == null) {
            return null;
        }
        Path path = baseDir.resolve(file).normalize();
        try {
            String token = Files.readString(path).trim();
            if (token.isEmpty()) {
                problems.add("admin-token-file", path, "a file holding a non-empty token");
                return null;
            }
            return token;
        } catch (java.io.IOException e) {
            problems.add("admin-token-file", path, "a readable file (" + e.getMessage() + ")");
            return null;
        }
    }

    private static Path repository(ConfigValues in, Path baseDir, ConfigProblems problems) {
        String text = in.string("model-repository", null);
        if (text == null) {
            problems.add("model-repository", null,
                    "a model directory, from --model-repository or the config file");
            return Path.of(".");
        }
        Path path = baseDir.resolve(text).normalize();
        if (!Files.isDirectory(path)) {
            problems.add("model-repository", path, "an existing directory");
        }
        return path;
    }

    /** This config with another port (tests and the quickstart). */
    public ServerConfig withHttpPort(int port) {
        return new ServerConfig(port, bindAddress, maxRequestSize, modelRepository, requestTimeout,
                idleTimeout, ioThreads, codecThreads, queueCapacity, adminPort, adminToken, services,
                shadowInFlight, grpcPort, grpcMaxMessageSize, accessLog, drainTimeout, rollouts,
                modelControl, connections, metricsNeedToken, sharedMemory, auth,
                tls);
    }

    /** This config with other connection limits (tests, and the gateway's own replicas). */
    public ServerConfig withConnections(ConnectionLimits limits) {
        return new ServerConfig(httpPort, bindAddress, maxRequestSize, modelRepository,
                requestTimeout, idleTimeout, ioThreads, codecThreads, queueCapacity, adminPort,
                adminToken, services, shadowInFlight, grpcPort, grpcMaxMessageSize, accessLog,
                drainTimeout, rollouts, modelControl, limits, metricsNeedToken, sharedMemory, auth,
                tls);
    }
}
