package dev.modelgate.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.server.traffic.RemoteTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replicas' client pair: a rotated pair is picked up by the next handshake, a broken one is not. */
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
}
