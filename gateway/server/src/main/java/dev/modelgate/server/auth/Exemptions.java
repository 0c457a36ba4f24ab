package dev.modelgate.server.auth;

import dev.modelgate.server.config.AuthConfig.Exempt;
import dev.modelgate.server.service.PathSegments;
import java.util.Set;

/**
 * Which calls need no key, as a pure function of the method and path (or the gRPC method). Health
 * is open by default so Kubernetes probes, which send no credentials, keep working, as KServe's
 * own probes do. The path is split exactly as the route table splits it (query, leading and
 * trailing slash dropped, literal segments compared as written), so a path judged exempt here is
 * routed to the exempt endpoint and nowhere else; anything else, including HEAD, needs a key.
 */
final class Exemptions {
    private static final String GRPC_SERVICE = "inference.GRPCInferenceService/";
    private static final Set<String> GRPC_HEALTH = Set.of(GRPC_SERVICE + "ServerLive",
            GRPC_SERVICE + "ServerReady", GRPC_SERVICE + "ModelReady", "grpc.health.v1.Health/Check",
            "grpc.health.v1.Health/Watch");
    private static final Set<String> GRPC_METADATA = Set.of(GRPC_SERVICE + "ServerMetadata",
            GRPC_SERVICE + "ModelMetadata");

    private Exemptions() {
    }

    static boolean grpc(Set<Exempt> exempt, String fullMethod) {
        return exempt.contains(Exempt.HEALTH) && GRPC_HEALTH.contains(fullMethod)
                || exempt.contains(Exempt.METADATA) && GRPC_METADATA.contains(fullMethod);
    }

    static boolean rest(Set<Exempt> exempt, String method, String uri) {
        if (exempt.isEmpty() || !"GET".equals(method)) {
            return false;
        }
        String[] s = PathSegments.of(uri);
        return exempt.contains(Exempt.HEALTH) && health(s)
                || exempt.contains(Exempt.METADATA) && metadata(s);
    }

    /** {@code /v2/health/live|ready}, {@code /v2/models/{m}[/versions/{v}]/ready}, V1's {@code /v1/models/{m}}. */
    private static boolean health(String[] s) {
        if (s.length == 3 && is(s, 0, "v2") && is(s, 1, "health")) {
            return is(s, 2, "live") || is(s, 2, "ready");
        }
        if (s.length == 3 && is(s, 0, "v1") && is(s, 1, "models")) {
            return !s[2].isEmpty();
        }
        return model(s, s.length - 1) && is(s, s.length - 1, "ready");
    }

    /** {@code /v2}, {@code /v2/models/{m}[/versions/{v}]}, V1's {@code /v1/models}. */
    private static boolean metadata(String[] s) {
        return s.length == 1 && is(s, 0, "v2")
                || s.length == 2 && is(s, 0, "v1") && is(s, 1, "models")
                || model(s, s.length);
    }

    /** Whether the first {@code length} segments are {@code v2/models/{m}[/versions/{v}]}. */
    private static boolean model(String[] s, int length) {
        if (length < 3 || !is(s, 0, "v2") || !is(s, 1, "models") || s[2].isEmpty()) {
            return false;
        }
        return length == 3 || length == 5 && is(s, 3, "versions") && !s[4].isEmpty();
    }

    private static boolean is(String[] s, int i, String literal) {
        return i >= 0 && i < s.length && literal.equals(s[i]);
    }
}
