package dev.modelgate.server.tls;

import dev.modelgate.server.config.ConfigException;
import dev.modelgate.server.traffic.RemoteTls;
import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;

/**
 * TLS from the gateway to replicas of one remote revision: trust in the revision's
 * {@code ca-bundle} (else the JDK's CAs), the optional client certificate for mTLS, host name
 * verification on and SNI from the endpoint's host. The same PEM reader and key manager as the
 * server side; one instance serves every replica of the revision. The client pair is checked for
 * a rotation when a handshake asks for it, at most every {@link #ROTATION_CHECK}: connections are
 * pooled, so that is rare, and it needs no thread or close of its own (a broken new pair is
 * logged and the current one kept, as on the server side).
 */
public final class ClientTls {
    static final Duration ROTATION_CHECK = Duration.ofSeconds(10);

    private final SslContext netty;
    private final X509Certificate[] cas;
    private final ReloadingKeyManager identity;

    private ClientTls(X509Certificate[] cas, ReloadingKeyManager identity) {
        this.cas = cas;
        this.identity = identity;
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .endpointIdentificationAlgorithm("HTTPS");
        if (cas != null) {
            builder.trustManager(cas);
        }
        if (identity != null) {
            builder.keyManager(identity);
        }
        try {
            netty = builder.build();
        } catch (SSLException e) {
            throw new ConfigException(ConfigException.LISTENER, "ca-bundle: " + e.getMessage()
                    + " (expected: PEM CA certificates)");
        }
    }

    /**
     * The TLS of a revision's replicas; {@code settings} may be {@code null} (the JDK's CAs).
     *
     * @throws ConfigException when a file does not load or the key is not the certificate's
     */
    public static ClientTls of(RemoteTls settings) {
        return of(settings, ROTATION_CHECK);
    }

    static ClientTls of(RemoteTls settings, Duration rotationCheck) {
        if (settings == null) {
            return new ClientTls(null, null);
        }
        X509Certificate[] cas = settings.caBundle() == null ? null
                : TlsMaterial.load(settings.caBundle()).clone();
        return new ClientTls(cas, settings.clientCert() == null ? null
                : identity(settings.clientCert(), settings.clientKey(), rotationCheck));
    }

    /**
     * The client pair as a key manager that loads a rotated pair at a handshake, at most every
     * {@code every}.
     */
    private static ReloadingKeyManager identity(Path cert, Path key, Duration every) {
        PairReload reload = new PairReload(List.of(cert, key), () -> TlsMaterial.load(cert, key, null),
                "tls (replica client certificate)");
        AtomicLong nextCheck = new AtomicLong(System.nanoTime() + every.toNanos());
        return new ReloadingKeyManager(reload.load(), () -> {
            long now = System.nanoTime();
            long due = nextCheck.get();
            // One handshake checks (a few file stats on its event loop); the others go on.
            return now - due >= 0 && nextCheck.compareAndSet(due, now + every.toNanos())
                    ? reload.poll() : null;
        });
    }

    /** The key manager of the client pair; {@code null} without one. */
    ReloadingKeyManager identity() {
        return identity;
    }

    /** A handler for one connection to {@code host:port}: SNI and the name verified are {@code host}. */
    public SslHandler handler(ByteBufAllocator alloc, String host, int port) {
        return netty.newHandler(alloc, host, port);
    }

    /** gRPC's credentials with the same trust and identity. */
    public ChannelCredentials grpcCredentials() {
        TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
        if (cas != null) {
            builder.trustManager(ReloadingTrustManager.of(cas));
        }
        if (identity != null) {
            builder.keyManager(identity);
        }
        return builder.build();
    }
}
