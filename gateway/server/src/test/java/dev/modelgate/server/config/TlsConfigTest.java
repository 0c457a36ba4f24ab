package dev.modelgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.server.config.TlsConfig.ClientAuth;
import dev.modelgate.server.config.TlsConfig.Port;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsConfigTest {
    @TempDir
    Path dir;

    private ServerConfig read(Object tls) throws Exception {
        Files.createDirectories(dir.resolve("models"));
        for (String file : List.of("tls.crt", "tls.key", "ca.crt")) {
            Files.writeString(dir.resolve(file), "pem");
        }
        return ServerConfig.from(Map.of("model-repository", "models", "tls", tls), dir, "test");
    }

    @Test
    void offUnlessConfiguredAndEveryPortWithoutClientCertificatesByDefault() throws Exception {
        Files.createDirectories(dir.resolve("models"));
        assertThat(ServerConfig.from(Map.of("model-repository", "models"), dir, "t").tls())
                .isEqualTo(TlsConfig.off());
        TlsConfig tls = read(Map.of("cert", "tls.crt", "key", "tls.key")).tls();
        assertThat(tls.cert()).isEqualTo(dir.resolve("tls.crt"));
        assertThat(tls.ports()).containsOnlyKeys(Port.HTTP, Port.GRPC, Port.ADMIN);
        assertThat(tls.clientAuth(Port.ADMIN)).isEqualTo(ClientAuth.NONE);
        assertThat(tls.reloadInterval()).isEqualTo(TlsConfig.DEFAULT_RELOAD_INTERVAL);
    }

    @Test
    void portsAsAMapAListOrTheFlagsText() throws Exception {
        TlsConfig map = read(Map.of("cert", "tls.crt", "key", "tls.key", "client-ca", "ca.crt",
                "ports", Map.of("http", "require", "admin", false), "reload-interval", "2s")).tls();
        assertThat(map.ports()).isEqualTo(Map.of(Port.HTTP, ClientAuth.REQUIRE, Port.ADMIN, ClientAuth.NONE));
        assertThat(map.enabled(Port.GRPC)).isFalse();
        assertThat(map.reloadInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(read(Map.of("cert", "tls.crt", "key", "tls.key", "ports", List.of("grpc"))).tls()
                .ports()).isEqualTo(Map.of(Port.GRPC, ClientAuth.NONE));
        assertThat(read(Map.of("cert", "tls.crt", "key", "tls.key", "client-ca", "ca.crt",
                "ports", "http=optional, grpc")).tls().ports())
                .isEqualTo(Map.of(Port.HTTP, ClientAuth.OPTIONAL, Port.GRPC, ClientAuth.NONE));
    }

    @Test
    void everyProblemWithItsKeyAndValue() {
        assertThatThrownBy(() -> read(Map.of("key", "missing.key", "ports",
                Map.of("http", "require", "web", "none", "grpc", "sometimes"), "colour", "red")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tls.colour")
                .hasMessageContaining("tls.cert: null (expected: a PEM file)")
                .hasMessageContaining("tls.key: " + dir.resolve("missing.key") + " (expected: a readable PEM file)")
                .hasMessageContaining("tls.ports: web (expected: http, grpc or admin)")
                .hasMessageContaining("tls.ports.grpc: sometimes (expected: none, optional or require)")
                .hasMessageContaining("tls.ports.http: require (expected: none, or a client-ca to verify against)");
    }
}
