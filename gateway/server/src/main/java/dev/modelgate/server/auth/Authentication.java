package dev.modelgate.server.auth;

import dev.modelgate.server.config.AuthConfig;
import dev.modelgate.server.service.RequestRecord.Protocol;
import io.grpc.ServerInterceptor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The data plane's authentication, shared by REST and gRPC: the current clients and exemptions
 * (swapped whole when the config file is edited, so keys can be rotated without a restart) and the
 * count of refused calls by protocol and reason. The transports ask it about each call's head,
 * before any body is read; the decision is a {@link Verdict}. Refusals are counted, never logged
 * with what was presented.
 */
public final class Authentication {
    /** One immutable generation of the config, read once per call. */
    private record Policy(ClientKeys keys, AuthConfig config) {
    }

    private final AtomicReference<Policy> policy;
    private final LongAdder[] failures = new LongAdder[Protocol.values().length * 2];

    private Authentication(AuthConfig config) {
        this.policy = new AtomicReference<>(new Policy(ClientKeys.of(config), config));
        for (int i = 0; i < failures.length; i++) {
            failures[i] = new LongAdder();
        }
    }

    public static Authentication of(AuthConfig config) {
        return new Authentication(config);
    }

    /** Authentication that is off (tests and servers without an {@code auth:} block). */
    public static Authentication off() {
        return of(AuthConfig.off());
    }

    /** Applies an edited {@code auth:} block to every call that starts from now on. */
    public void update(AuthConfig config) {
        policy.set(new Policy(ClientKeys.of(config), config));
    }

    public boolean enabled() {
        return policy.get().keys().enabled();
    }

    /**
     * Decides about a REST or KServe V1 request from its head.
     *
     * @param authorization the {@code Authorization} header or {@code null}
     * @param apiKey the {@code x-api-key} header or {@code null}
     */
    public Verdict checkRest(String method, String uri, String authorization, String apiKey) {
        Policy current = policy.get();
        if (!current.keys().enabled() || Exemptions.rest(current.config().exempt(), method, uri)) {
            return Verdict.OPEN;
        }
        return counted(uri.startsWith("/v1/") ? Protocol.V1 : Protocol.REST,
                current.keys().identify(authorization, apiKey));
    }

    /** Decides about a gRPC call from its full method name and metadata. */
    public Verdict checkGrpc(String fullMethod, String authorization, String apiKey) {
        Policy current = policy.get();
        if (!current.keys().enabled() || Exemptions.grpc(current.config().exempt(), fullMethod)) {
            return Verdict.OPEN;
        }
        return counted(Protocol.GRPC, current.keys().identify(authorization, apiKey));
    }

    /** Calls refused so far on {@code protocol} for {@code reason} (MISSING or WRONG). */
    public long failures(Protocol protocol, Verdict.Outcome reason) {
        int index = index(protocol, reason);
        return index < 0 ? 0 : failures[index].sum();
    }

    /** The gRPC step: UNAUTHENTICATED for refused calls, the client's name on accepted ones. */
    public ServerInterceptor grpcInterceptor() {
        return new AuthInterceptor(this);
    }

    private Verdict counted(Protocol protocol, Verdict verdict) {
        int index = index(protocol, verdict.outcome());
        if (index >= 0) {
            failures[index].increment();
        }
        return verdict;
    }

    private static int index(Protocol protocol, Verdict.Outcome reason) {
        return switch (reason) {
            case MISSING -> protocol.ordinal() * 2;
            case WRONG -> protocol.ordinal() * 2 + 1;
            default -> -1;
        };
    }
}
