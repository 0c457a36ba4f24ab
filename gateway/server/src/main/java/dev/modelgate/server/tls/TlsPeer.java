package dev.modelgate.server.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The verified client certificate's subject of a connection, for whoever needs who is calling
 * (authentication, per-client limits, the access log). It is read once per connection, when the
 * handshake completes, and kept on the channel; a plain-text connection has none, at no cost.
 */
public final class TlsPeer {
    private static final AttributeKey<String> SUBJECT = AttributeKey.valueOf("modelgate.tls.subject");

    private TlsPeer() {
    }

    /** The subject DN (RFC 2253) of the client certificate that {@code channel}'s TLS verified, or {@code null}. */
    public static String subject(Channel channel) {
        return channel.hasAttr(SUBJECT) ? channel.attr(SUBJECT).get() : null;
    }

    /** The subject of {@code session}'s verified peer certificate, or {@code null} (none, or no TLS). */
    public static String subject(SSLSession session) {
        if (session == null) {
            return null;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf
                    ? leaf.getSubjectX500Principal().getName() : null;
        } catch (SSLPeerUnverifiedException none) {
            return null;
        }
    }

    static void rememberOnHandshake(Channel channel, SslHandler handler) {
        handler.handshakeFuture().addListener(done -> {
            if (done.isSuccess()) {
                String subject = subject(handler.engine().getSession());
                if (subject != null) {
                    channel.attr(SUBJECT).set(subject);
                }
            }
        });
    }
}
