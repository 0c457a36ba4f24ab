package dev.modelgate.server.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS keys of a remote revision: https/grpcs endpoints, ca-bundle, client certificate. */
class RemoteTlsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private RemoteSpec read(Map<String, Object> revision, List<String> problems) {
        JsonNode node = JSON.valueToTree(revision);
        return RemoteSpec.read(node, "services[0].revisions[0]", problems);
    }

    @Test
    void httpsAndGrpcsEndpointsTakeACaBundleAndAClientCertificate() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "pem");
        Path cert = Files.writeString(dir.resolve("gw.crt"), "pem");
        Path key = Files.writeString(dir.resolve("gw.key"), "pem");
        List<String> problems = new ArrayList<>();
        RemoteSpec https = read(Map.of("endpoints", List.of("https://replica:8443"), "ca-bundle",
                ca.toString(), "client-cert", cert.toString(), "client-key", key.toString()), problems);
        assertThat(problems).isEmpty();
        assertThat(https.endpoints()).containsExactly(URI.create("https://replica:8443"));
        assertThat(https.tls()).isEqualTo(new RemoteTls(ca, cert, key));
        RemoteSpec grpcs = read(Map.of("protocol", "grpc", "endpoints", List.of("grpcs://replica:8444")), problems);
        assertThat(problems).isEmpty();
        assertThat(RemoteSpec.secure(grpcs.endpoints().get(0))).isTrue();
        assertThat(grpcs.tls()).as("the JDK's CAs").isNull();
    }

    @Test
    void tlsKeysNeedTlsEndpointsReadableFilesAndBothHalvesOfThePair() {
        List<String> problems = new ArrayList<>();
        read(Map.of("endpoints", List.of("http://replica:8080"), "ca-bundle", dir.resolve("none.pem").toString(),
                "client-cert", dir.resolve("gw.crt").toString()), problems);
        String at = "services[0].revisions[0].";
        assertThat(problems).contains(
                at + "ca-bundle: " + dir.resolve("none.pem") + " (expected: a readable PEM file)",
                at + "client-key: null (expected: client-cert and client-key together)",
                at + "ca-bundle: " + dir.resolve("none.pem") + " (expected: only with https:// or grpcs:// endpoints)");
        problems.clear();
        read(Map.of("endpoints", List.of("ftp://replica:21")), problems);
        assertThat(problems).containsExactly(at + "endpoints: \"ftp://replica:21\" (expected: http://host:port or https://host:port)");
    }
}
