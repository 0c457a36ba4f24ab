package dev.modelgate.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.server.traffic.RemoteTls;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replicas' client pair and CA bundle: a rotated pair or bundle is picked up by the next
 * handshake, a broken one is not.
 */
class ClientTlsTest {
    private static final TestCertificates CA = TestCertificates.authority("replica-client-ca");

    @TempDir
    Path dir;

    /** The certificate a client handshake would present now (it asks the key manager, as the engines do). */
    private static X509Certificate presented(ClientTls tls, TestCertificates.Issued issued) {
        ReloadingKeyManager keys = tls.identity();
        String alias = keys.chooseEngineClientAlias(
                new String[] {issued.keys().getPrivate().getAlgorithm()}, null, null);
        return keys.getCertificateChain(alias)[0];
    }

    /** Moves the files' modification time on, so a rotation within one millisecond still shows. */
    private void touch(Path... files) throws Exception {
        for (Path file : files) {
            Files.setLastModifiedTime(file, FileTime.fromMillis(
                    Files.getLastModifiedTime(file).toMillis() + 2_000));
        }
    }

    @Test
    void aRotatedPairReachesTheNextHandshakeAndABrokenOneKeepsTheCurrent() throws Exception {
        Path cert = dir.resolve("client.crt");
        Path key = dir.resolve("client.key");
        TestCertificates.Issued first = CA.client("gateway-a").write(cert, key);
        ClientTls tls = ClientTls.of(new RemoteTls(null, cert, key), Duration.ZERO);
        assertThat(presented(tls, first)).isEqualTo(first.certificate());

        TestCertificates.Issued rotated = CA.client("gateway-b").write(cert, key);
        touch(cert, key);
        assertThat(presented(tls, rotated)).isEqualTo(rotated.certificate());

        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        touch(key);
        assertThat(presented(tls, rotated)).isEqualTo(rotated.certificate());
    }

    @Test
    void betweenChecksTheFilesAreNotRead() throws Exception {
        Path cert = dir.resolve("client.crt");
        Path key = dir.resolve("client.key");
        TestCertificates.Issued first = CA.client("gateway-a").write(cert, key);
        ClientTls tls = ClientTls.of(new RemoteTls(null, cert, key), Duration.ofHours(1));
        CA.client("gateway-b").write(cert, key);
        touch(cert, key);
        assertThat(presented(tls, first)).isEqualTo(first.certificate());
    }

    /** Whether a handshake would trust {@code server} now (it asks the trust manager, as the engines do). */
    private static boolean trusts(ClientTls tls, TestCertificates.Issued server) {
        try {
            tls.trust().checkServerTrusted(new X509Certificate[] {server.certificate()}, "ECDHE_ECDSA");
            return true;
        } catch (CertificateException untrusted) {
            return false;
        }
    }

    @Test
    void aRotatedCaBundleReachesTheNextHandshakeAndABrokenOneKeepsTheCurrent() throws Exception {
        TestCertificates oldCa = TestCertificates.authority("replica-ca-1");
        TestCertificates newCa = TestCertificates.authority("replica-ca-2");
        TestCertificates.Issued oldServer = oldCa.server("replica");
        TestCertificates.Issued newServer = newCa.server("replica");
        Path bundle = oldCa.writeCa(dir.resolve("ca.crt"));
        ClientTls tls = ClientTls.of(new RemoteTls(bundle, null, null), Duration.ZERO);
        assertThat(trusts(tls, oldServer)).isTrue();
        assertThat(trusts(tls, newServer)).isFalse();

        // The overlap of a CA rotation: both CAs in the bundle, then the new one alone.
        Files.writeString(bundle, Files.readString(bundle) + Files.readString(newCa.writeCa(dir.resolve("new.crt"))));
        touch(bundle);
        assertThat(trusts(tls, oldServer)).isTrue();
        assertThat(trusts(tls, newServer)).isTrue();
        newCa.writeCa(bundle);
        touch(bundle);
        assertThat(trusts(tls, oldServer)).isFalse();
        assertThat(trusts(tls, newServer)).isTrue();

        Files.writeString(bundle, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        touch(bundle);
        assertThat(trusts(tls, newServer)).as("a bundle that does not load keeps the current one").isTrue();
    }

    @Test
    void betweenChecksTheCaBundleIsNotRead() throws Exception {
        TestCertificates newCa = TestCertificates.authority("replica-ca-2");
        Path bundle = CA.writeCa(dir.resolve("ca.crt"));
        ClientTls tls = ClientTls.of(new RemoteTls(bundle, null, null), Duration.ofHours(1));
        newCa.writeCa(bundle);
        touch(bundle);
        assertThat(trusts(tls, newCa.server("replica"))).isFalse();
    }

    /**
     * Runs a TLS handshake between the replica client and a server showing {@code shown}, in
     * memory: "ok", or why the client refused it.
     */
    private static String handshake(ClientTls tls, String host, TestCertificates.Issued shown) throws Exception {
        SslContext server = SslContextBuilder.forServer(shown.keys().getPrivate(), shown.certificate())
                .sslProvider(SslProvider.JDK).build();
        ByteBufAllocator alloc = UnpooledByteBufAllocator.DEFAULT;
        SslHandler clientSide = tls.handler(alloc, host, 443);
        EmbeddedChannel client = new EmbeddedChannel(clientSide);
        EmbeddedChannel replica = new EmbeddedChannel(server.newHandler(alloc));
        try {
            for (int round = 0; round < 20 && !clientSide.handshakeFuture().isDone(); round++) {
                Object bytes;
                while ((bytes = client.readOutbound()) != null) {
                    replica.writeInbound(bytes);
                }
                while ((bytes = replica.readOutbound()) != null) {
                    client.writeOneInbound(bytes);
                }
                client.flushInbound();
            }
        } catch (Exception refused) { // EmbeddedChannel throws the closed channel sneakily
            if (!(refused instanceof DecoderException || refused instanceof ClosedChannelException)) {
                throw refused;
            }
            // the client failed the handshake and closed; its future says why
        } finally {
            client.finishAndReleaseAll();
            replica.finishAndReleaseAll();
        }
        assertThat(clientSide.handshakeFuture().isDone()).as("handshake ended").isTrue();
        Throwable cause = clientSide.handshakeFuture().cause();
        return cause == null ? "ok" : cause.getMessage();
    }

    @Test
    void theReplicasHostNameIsVerifiedAgainstItsCertificate() throws Exception {
        ClientTls tls = ClientTls.of(new RemoteTls(CA.writeCa(dir.resolve("ca.crt")), null, null));
        TestCertificates.Issued replica = CA.server("replica"); // names 127.0.0.1 and localhost
        assertThat(handshake(tls, "localhost", replica)).isEqualTo("ok");
        assertThat(handshake(tls, "replica.example", replica)).as("a name the certificate does not hold")
                .contains("replica.example");
        assertThat(handshake(tls, "localhost", TestCertificates.authority("other-ca").server("replica")))
                .as("a certificate no CA in the bundle signed").contains("certification path");
    }
}
