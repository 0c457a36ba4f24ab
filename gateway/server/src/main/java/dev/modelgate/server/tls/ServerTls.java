package dev.modelgate.server.tls;

import dev.modelgate.server.config.ConfigException;
import dev.modelgate.server.config.TlsConfig;
import dev.modelgate.server.config.TlsConfig.ClientAuth;
import dev.modelgate.server.config.TlsConfig.Port;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * TLS of one listening port: the reloading key manager (and client-CA trust manager when the port
 * verifies clients) fed from the {@code tls:} PEM files, and the three ways our servers take it:
 * a Netty {@link SslHandler} (REST), gRPC's {@link ServerCredentials}, Vert.x's options (admin).
 * Every engine asks the managers at each handshake, so one swap here rotates the certificate of
 * every new connection; a pair that fails to load (unreadable, mismatched, half-written during a
 * rotation) is logged and the old one kept. A daemon thread polls the files' stamps every
 * {@code reload-interval}; {@link #poll} is the whole step, called directly by tests.
 */
public final class ServerTls implements AutoCloseable {
    private final TlsConfig config;
    private final Port port;
    private final ReloadingKeyManager keys;
    private final ReloadingTrustManager clients;
    private final SslContext netty;
    private final ScheduledExecutorService poller;
    private final PemReload<TlsMaterial> reload;

    private ServerTls(TlsConfig config, Port port, TlsMaterial material, PemReload<TlsMaterial> reload) {
        this.config = config;
        this.port = port;
        this.reload = reload;
        this.keys = new ReloadingKeyManager(material);
        this.clients = material.clientCas() == null ? null
                : new ReloadingTrustManager(material.clientCas());
        this.netty = nettyContext();
        long every = config.reloadInterval().toMillis();
        if (every > 0) {
            poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "modelgate-tls-" + port.name().toLowerCase());
                thread.setDaemon(true);
                return thread;
            });
            poller.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
        } else {
            poller = null;
        }
    }

    /**
     * TLS for {@code port} as configured, or {@code null} when the port speaks plain text.
     *
     * @throws ConfigException when a file is missing, unreadable or the key is not the cert's
     */
    public static ServerTls open(TlsConfig config, Port port) {
        if (!config.enabled(port)) {
            return null;
        }
        PemReload<TlsMaterial> reload = new PemReload<>(files(config), () -> load(config),
                TlsMaterial::subject, "tls (" + port.name().toLowerCase(java.util.Locale.ROOT) + " port)");
        return new ServerTls(config, port, reload.load(), reload);
    }

    private static TlsMaterial load(TlsConfig config) {
        return TlsMaterial.load(config.cert(), config.key(), config.clientCa());
    }

    private static List<Path> files(TlsConfig config) {
        List<Path> files = new ArrayList<>(List.of(config.cert(), config.key()));
        if (config.clientCa() != null) {
            files.add(config.clientCa());
        }
        return files;
    }

    /** Loads the files again when their stamps changed; a broken pair keeps the current one. */
    void poll() {
        TlsMaterial material = reload.poll();
        if (material != null) {
            keys.swap(material);
            if (clients != null && material.clientCas() != null) {
                clients.swap(material.clientCas());
            }
        }
    }

    /** The leaf certificate new connections get now. */
    X509Certificate certificate() {
        return keys.currentChain()[0];
    }

    /** A new handler for one REST connection, remembering the verified client subject. */
    public SslHandler handler(Channel channel) {
        SslHandler handler = netty.newHandler(channel.alloc());
        TlsPeer.rememberOnHandshake(channel, handler);
        return handler;
    }

    /**
     * {@code initializer}'s pipeline behind this port's {@link SslHandler}, named {@code tls}: the
     * first handler, so everything after it sees plain bytes.
     */
    public ChannelInitializer<Channel> first(ChannelHandler initializer) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast("tls", handler(channel)).addLast(initializer);
            }
        };
    }

    /** gRPC's credentials over the same managers. */
    public ServerCredentials grpcCredentials() {
        TlsServerCredentials.Builder builder = TlsServerCredentials.newBuilder().keyManager(keys);
        if (clients != null && auth() != ClientAuth.NONE) {
            builder.trustManager(clients).clientAuth(auth() == ClientAuth.REQUIRE
                    ? TlsServerCredentials.ClientAuth.REQUIRE
                    : TlsServerCredentials.ClientAuth.OPTIONAL);
        }
        return builder.build();
    }

    /** {@code options} with TLS on, over the same managers (the admin port). */
    public HttpServerOptions vertx(HttpServerOptions options) {
        options.setSsl(true).setKeyCertOptions(KeyCertOptions.wrap(keys));
        if (clients != null && auth() != ClientAuth.NONE) {
            options.setTrustOptions(TrustOptions.wrap(clients)).setClientAuth(
                    auth() == ClientAuth.REQUIRE ? io.vertx.core.http.ClientAuth.REQUIRED
                            : io.vertx.core.http.ClientAuth.REQUEST);
        }
        return options;
    }

    private SslContext nettyContext() {
        // The JDK engine: it asks the key manager at every handshake. Netty's OpenSSL one may
        // keep key material it was given, which would pin the first certificate.
        SslContextBuilder builder = SslContextBuilder.forServer(keys).sslProvider(SslProvider.JDK);
        if (clients != null && auth() != ClientAuth.NONE) {
            builder.trustManager(clients).clientAuth(auth() == ClientAuth.REQUIRE
                    ? io.netty.handler.ssl.ClientAuth.REQUIRE
                    : io.netty.handler.ssl.ClientAuth.OPTIONAL);
        }
        try {
            return builder.build();
        } catch (SSLException e) {
            throw new ConfigException(ConfigException.LISTENER, "tls.cert: " + config.cert()
                    + " (expected: a certificate Netty can serve; " + e.getMessage() + ")");
        }
    }

    private ClientAuth auth() {
        return config.clientAuth(port);
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }
}
