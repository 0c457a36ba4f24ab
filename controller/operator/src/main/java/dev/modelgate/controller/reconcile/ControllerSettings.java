package dev.modelgate.controller.reconcile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The controller's own settings, validated once: every problem is reported in one message in the form
 * {@code name: value (expected: constraint)}.
 *
 * @param gatewayUrl the base URL of the gateway Service (status {@code url} is this plus {@code /v2/models/<name>})
 * @param drainPeriod how long a retired revision keeps running after it left the routing table
 * @param httpPort the runtime pods' HTTP port
 * @param grpcPort the runtime pods' gRPC port
 */
public record ControllerSettings(String gatewayUrl, Duration drainPeriod, int httpPort, int grpcPort) {

    /** The defaults for a gateway installed by {@code deploy/kubernetes}. */
    public static ControllerSettings defaults() {
        return new ControllerSettings("http://modelgate-gateway.modelgate-system.svc.cluster.local",
                Duration.ofSeconds(30), 8080, 8081);
    }

    /** Checks every field, throwing one {@link IllegalArgumentException} that lists all problems. */
    public ControllerSettings {
        List<String> problems = new ArrayList<>();
        if (gatewayUrl == null || !gatewayUrl.matches("https?://[^/]+(/.*)?")) {
            problems.add("gateway-url: " + gatewayUrl + " (expected: an http or https URL)");
        }
        if (drainPeriod == null || drainPeriod.isNegative()) {
            problems.add("drain-period: " + drainPeriod + " (expected: a duration >= 0)");
        }
        checkPort("http-port", httpPort, problems);
        checkPort("grpc-port", grpcPort, problems);
        if (httpPort == grpcPort) {
            problems.add("grpc-port: " + grpcPort + " (expected: different from http-port)");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        gatewayUrl = gatewayUrl.endsWith("/") ? gatewayUrl.substring(0, gatewayUrl.length() - 1) : gatewayUrl;
    }

    private static void checkPort(String name, int port, List<String> problems) {
        if (port < 1 || port > 65_535) {
            problems.add(name + ": " + port + " (expected: 1..65535)");
        }
    }
}
