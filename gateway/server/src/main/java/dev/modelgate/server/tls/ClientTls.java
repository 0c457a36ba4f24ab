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
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;

/**
 * TLS from the gateway to replicas of one remote revision: trust in the revision's
 * {@code ca-bundle} (else the JDK's CAs), the optional client certificate for mTLS, host name
 * verification on and SNI from the endpoint's host. The same PEM reader and key manager as the
 * server side; one instance serves every replica of the revision.
 */
public final class ClientTls {
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
        if (settings == null) {
            return new ClientTls(null, null);
        }
        X509Certificate[] cas = settings.caBundle() == null ? null
                : TlsMaterial.load(settings.caBundle()).clone();
        ReloadingKeyManager identity = settings.clientCert() == null ? null
                : new ReloadingKeyManager(TlsMaterial.load(settings.clientCert(), settings.clientKey(), null));
        return new ClientTls(cas, identity);
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
