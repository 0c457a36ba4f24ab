package dev.modelgate.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.modelgate.server.config.ConfigException;
import dev.modelgate.server.config.TlsConfig;
import dev.modelgate.server.config.TlsConfig.ClientAuth;
import dev.modelgate.server.config.TlsConfig.Port;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading, checking and rotating the PEM pair, driven by {@link ServerTls#poll} (no thread). */
class ServerTlsTest {
    private static final TestCertificates CA = TestCertificates.authority("test-ca");

    @TempDir
    Path dir;

    private TlsConfig config(Path cert, Path key) {
        // reload-interval 0: no poller thread, the test polls
        return new TlsConfig(cert, key, null, Map.of(Port.HTTP, ClientAuth.NONE), Duration.ZERO);
    }

    @Test
    void aRotatedPairReachesNewHandshakesAndABrokenOneKeepsTheCurrent() throws Exception {
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        TestCertificates.Issued first = CA.server("first").write(cert, key);
        try (ServerTls tls = ServerTls.open(config(cert, key), Port.HTTP)) {
            assertThat(tls.certificate()).isEqualTo(first.certificate());
            tls.poll();
            assertThat(tls.certificate()).isEqualTo(first.certificate());

            TestCertificates.Issued second = CA.server("second").write(cert, key);
            tls.poll();
            assertThat(tls.certificate()).isEqualTo(second.certificate());

            // Half a rotation: a new certificate beside the old key. Kept: the second pair.
            TestCertificates.Issued third = CA.server("third");
            Files.writeString(cert, TestCertificates.pem("CERTIFICATE", third.certificate().getEncoded()));
            tls.poll();
            assertThat(tls.certificate()).isEqualTo(second.certificate());
            Files.writeString(key, "not a key");
            tls.poll();
            assertThat(tls.certificate()).isEqualTo(second.certificate());
            third.write(cert, key);
            tls.poll();
            assertThat(tls.certificate()).isEqualTo(third.certificate());
        }
    }

    @Test
    void aSecretVolumeRotatesBySwappingItsDataSymlink() throws Exception {
        // What the kubelet does: ..data -> ..v1, tls.crt -> ..data/tls.crt; a rotation points ..data at ..v2.
        Path v1 = Files.createDirectory(dir.resolve("..v1"));
        Path v2 = Files.createDirectory(dir.resolve("..v2"));
        TestCertificates.Issued old = CA.server("old").write(v1.resolve("tls.crt"), v1.resolve("tls.key"));
        TestCertificates.Issued fresh = CA.server("new").write(v2.resolve("tls.crt"), v2.resolve("tls.key"));
        Path data = Files.createSymbolicLink(dir.resolve("..data"), v1.getFileName());
        Path cert = Files.createSymbolicLink(dir.resolve("tls.crt"), Path.of("..data/tls.crt"));
        Path key = Files.createSymbolicLink(dir.resolve("tls.key"), Path.of("..data/tls.key"));
        // Same size and, on coarse clocks, the same modification time: only the real path differs.
        Files.setLastModifiedTime(v2.resolve("tls.crt"), Files.getLastModifiedTime(v1.resolve("tls.crt")));
        try (ServerTls tls = ServerTls.open(config(cert, key), Port.HTTP)) {
            assertThat(tls.certificate()).isEqualTo(old.certificate());
            Path swap = Files.createSymbolicLink(dir.resolve("..data_tmp"), v2.getFileName());
            Files.move(swap, data, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            tls.poll();
            assertThat(tls.certificate()).isEqualTo(fresh.certificate());
        }
    }

    @Test
    void startUpErrorsNameTheFileOnOneLine() throws Exception {
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        CA.server("a").write(cert, key);
        CA.server("b").write(dir.resolve("b.crt"), dir.resolve("b.key"));
        ConfigException mismatch = catchThrowableOfType(ConfigException.class,
                () -> ServerTls.open(config(cert, dir.resolve("b.key")), Port.HTTP));
        assertThat(mismatch.problems()).containsExactly("tls.key: " + dir.resolve("b.key")
                + " (expected: the private key of tls.cert " + cert + " CN=a)");
        Files.writeString(dir.resolve("empty.crt"), "");
        assertThatThrownBy(() -> ServerTls.open(config(dir.resolve("empty.crt"), key), Port.HTTP))
                .hasMessageContaining("tls.cert: " + dir.resolve("empty.crt")
                        + " (expected: a readable PEM certificate;");
        assertThat(ServerTls.open(config(cert, key), Port.GRPC)).as("a port without TLS").isNull();
    }

    @Test
    void readsPkcs1RsaKeysAsCertManagerWritesThemAndRefusesSec1EcKeysClearly() throws Exception {
        TestCertificates.Issued rsa = CA.rsaServer("rsa");
        Path cert = dir.resolve("rsa.crt");
        Path key = dir.resolve("rsa.key");
        rsa.write(cert, key);
        byte[] pkcs1 = PrivateKeyInfo.getInstance(rsa.keys().getPrivate().getEncoded())
                .parsePrivateKey().toASN1Primitive().getEncoded();
        Files.writeString(key, TestCertificates.pem("RSA PRIVATE KEY", pkcs1));
        assertThat(PemFiles.privateKey(key)).isEqualTo(rsa.keys().getPrivate());
        assertThat(PemFiles.matches(PemFiles.privateKey(key), rsa.certificate())).isTrue();
        try (ServerTls tls = ServerTls.open(config(cert, key), Port.HTTP)) {
            assertThat(tls.certificate()).isEqualTo(rsa.certificate());
        }

        Files.writeString(key, TestCertificates.pem("EC PRIVATE KEY", new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> PemFiles.privateKey(key)).hasMessageContaining("openssl pkcs8 -topk8");
    }

    @Test
    void theReloadDecisionIsAComparisonOfStamps() {
        FileStamps a = new FileStamps(java.util.List.of("/a 1 10"));
        FileStamps b = new FileStamps(java.util.List.of("/a 2 10"));
        FileStamps none = new FileStamps(java.util.List.of());
        assertThat(FileStamps.reload(a, none, a)).isFalse();
        assertThat(FileStamps.reload(a, none, b)).isTrue();
        assertThat(FileStamps.reload(a, b, b)).as("the same broken files, already logged").isFalse();
    }
}
