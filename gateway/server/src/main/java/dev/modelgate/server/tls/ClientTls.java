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
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * TLS from the gateway to replicas of one remote revision: trust in the revision's
 * {@code ca-bundle} (else the JDK's CAs), the optional client certificate for mTLS, host name
 * verification on and SNI from the endpoint's host. The same PEM reader, key and trust managers as
 * the server side; one instance serves every replica of the revision, over HTTP and gRPC. The
 * client pair and the CA bundle are each checked for a rotation when a handshake uses them, at
 * most every {@link #ROTATION_CHECK}: connections are pooled, so that is rare, and it needs no
 * thread or close of its own (new files that do not load are logged and the current ones kept,
 * as on the server side). A CA rotation (cert-manager renews its CA too) then needs no restart:
 * during the overlap the bundle holds both CAs.
 */
public final class ClientTls {
    static final Duration ROTATION_CHECK = Duration.ofSeconds(10);

    private final SslContext netty;
    private final ReloadingTrustManager trust;
    private final ReloadingKeyManager identity;

    private ClientTls(ReloadingTrustManager trust, ReloadingKeyManager identity) {
        this.trust = trust;
        this.identity = identity;
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .endpointIdentificationAlgorithm("HTTPS");
        if (trust != null) {
            builder.trustManager(trust);
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
        return new ClientTls(settings.caBundle() == null ? null
                : trust(settings.caBundle(), rotationCheck),
                settings.clientCert() == null ? null
                : identity(settings.clientCert(), settings.clientKey(), rotationCheck));
    }

    /** The CA bundle as a trust manager that loads a rotated bundle at a check, at most every {@code every}. */
    private static ReloadingTrustManager trust(Path caBundle, Duration every) {
        PemReload<X509Certificate[]> reload = new PemReload<>(List.of(caBundle),
                () -> TlsMaterial.load(caBundle), TlsMaterial::subjects, "tls (replica ca-bundle)");
        return new ReloadingTrustManager(reload.load(), atMostEvery(every, reload));
    }

    /** The client pair as a key manager that loads a rotated pair at a handshake, at most every {@code every}. */
    private static ReloadingKeyManager identity(Path cert, Path key, Duration every) {
        PemReload<TlsMaterial> reload = new PemReload<>(List.of(cert, key),
                () -> TlsMaterial.load(cert, key, null), TlsMaterial::subject,
                "tls (replica client certificate)");
        return new ReloadingKeyManager(reload.load(), atMostEvery(every, reload));
    }

    /** The reload's polls, at most one every {@code every}; {@code null} (nothing new) between. */
    private static <T> Supplier<T> atMostEvery(Duration every, PemReload<T> reload) {
        AtomicLong nextCheck = new AtomicLong(System.nanoTime() + every.toNanos());
        return () -> {
            long now = System.nanoTime();
            long due = nextCheck.get();
            // One handshake checks (a few file stats on its event loop); the others go on.
            return now - due >= 0 && nextCheck.compareAndSet(due, now + every.toNanos())
                    ? reload.poll() : null;
        };
    }

    /** The key manager of the client pair; {@code null} without one. */
    ReloadingKeyManager identity() {
        return identity;
    }

    /** The trust manager of the {@code ca-bundle}; {@code null} without one (the JDK's CAs). */
    ReloadingTrustManager trust() {
        return trust;
    }

    /** A handler for one connection to {@code host:port}: SNI and the name verified are {@code host}. */
    public SslHandler handler(ByteBufAllocator alloc, String host, int port) {
        return netty.newHandler(alloc, host, port);
    }

    /** gRPC's credentials with the same trust and identity. */
    public ChannelCredentials grpcCredentials() {
        TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
        if (trust != null) {
            builder.trustManager(trust);
        }
        if (identity != null) {
            builder.keyManager(identity);
        }
        return builder.build();
    }
}
