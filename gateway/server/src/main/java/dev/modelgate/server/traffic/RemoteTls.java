package dev.modelgate.server.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * How the gateway verifies (and, for mTLS, proves itself to) replicas reached over {@code https://}
 * or {@code grpcs://}: the revision's {@code ca-bundle} (default: the JDK's trusted CAs) and an
 * optional {@code client-cert}/{@code client-key} pair. The host name of each endpoint is verified
 * against its certificate and sent as SNI, as any HTTPS client does.
 *
 * @param caBundle PEM CA certificates that verify replicas, or {@code null} for the JDK's
 * @param clientCert PEM certificate the gateway presents, or {@code null}
 * @param clientKey its PEM private key, or {@code null}
 */
public record RemoteTls(Path caBundle, Path clientCert, Path clientKey) {
    static final Set<String> KEYS = Set.of("ca-bundle", "client-cert", "client-key");

    /** Reads the TLS keys of a revision; {@code null} when none is set. */
    static RemoteTls read(JsonNode node, String at, boolean secure, List<String> problems) {
        Path ca = file(node, "ca-bundle", at, problems);
        Path cert = file(node, "client-cert", at, problems);
        Path key = file(node, "client-key", at, problems);
        if ((cert == null) != (key == null)) {
            problems.add(at + "." + (cert == null ? "client-cert" : "client-key")
                    + ": null (expected: client-cert and client-key together)");
        }
        if (!secure && (ca != null || cert != null || key != null)) {
            problems.add(at + ".ca-bundle: " + node.path("ca-bundle").asText(null)
                    + " (expected: only with https:// or grpcs:// endpoints)");
        }
        return ca == null && cert == null && key == null ? null : new RemoteTls(ca, cert, key);
    }

    private static Path file(JsonNode node, String key, String at, List<String> problems) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        Path path = Path.of(value.asText()).toAbsolutePath().normalize();
        if (!Files.isReadable(path) || Files.isDirectory(path)) {
            problems.add(at + "." + key + ": " + path + " (expected: a readable PEM file)");
        }
        return path;
    }
}
