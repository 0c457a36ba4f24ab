package dev.modelgate.server.auth;

import dev.modelgate.server.service.Headers;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * gRPC's authentication step, outermost, so a refused call ends before its message is parsed.
 * Metadata are what the bind step reads, so this step cleans them: a client's own
 * {@code x-modelgate-client} is always dropped (an identity is never taken from a client), and on
 * an accepted call the key is dropped and the configured name put in its place.
 */
final class AuthInterceptor implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION = key(Headers.AUTHORIZATION);
    static final Metadata.Key<String> API_KEY = key(Headers.API_KEY);
    static final Metadata.Key<String> CLIENT = key(Headers.CLIENT);

    private final Authentication authentication;

    AuthInterceptor(Authentication authentication) {
        this.authentication = authentication;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
            ServerCallHandler<Q, A> next) {
        headers.removeAll(CLIENT);
        Verdict verdict = authentication.checkGrpc(call.getMethodDescriptor().getFullMethodName(),
                headers.get(AUTHORIZATION), headers.get(API_KEY));
        if (verdict.refused()) {
            call.close(Status.UNAUTHENTICATED.withDescription(verdict.message()), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        if (verdict.client() != null) {
            headers.removeAll(AUTHORIZATION);
            headers.removeAll(API_KEY);
            headers.put(CLIENT, verdict.client());
        }
        return next.startCall(call, headers);
    }

    private static Metadata.Key<String> key(String name) {
        return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
    }
}
