package dev.modelgate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.server.config.TlsConfig;
import dev.modelgate.server.config.TlsConfig.ClientAuth;
import dev.modelgate.server.config.TlsConfig.Port;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code --tls-*} flags overlay the file's {@code tls:} block key by key. */
class TlsFlagsTest {
    @TempDir
    Path dir;

    @Test
    void theTlsFlagsOverlayTheFilesBlockKeyByKey() throws Exception {
        Files.createDirectories(dir.resolve("models"));
        for (String file : new String[] {"file.crt", "file.key", "flag.crt", "ca.crt"}) {
            Files.writeString(dir.resolve(file), "pem");
        }
        Path file = Files.writeString(dir.resolve("server.yaml"), "model-repository: models\n"
                + "tls: {cert: file.crt, key: file.key, reload-interval: 30s, ports: [admin]}\n");
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--config", file.toString(), "--tls-cert", "flag.crt",
                "--tls-client-ca", "ca.crt", "--tls-ports", "http=require,grpc");
        TlsConfig tls = serve.config(dir).tls();
        assertThat(tls.cert()).isEqualTo(dir.resolve("flag.crt"));
        assertThat(tls.key()).isEqualTo(dir.resolve("file.key"));
        assertThat(tls.clientCa()).isEqualTo(dir.resolve("ca.crt"));
        assertThat(tls.reloadInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(tls.ports()).isEqualTo(Map.of(Port.HTTP, ClientAuth.REQUIRE, Port.GRPC, ClientAuth.NONE));
    }
}
