package dev.modelgate.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * TLS on the server's ports (the {@code tls:} block): one certificate and key, as a Kubernetes
 * {@code kubernetes.io/tls} Secret or cert-manager's Certificate mounts them ({@code tls.crt},
 * {@code tls.key}, {@code ca.crt}), and per port whether it speaks TLS and how it treats client
 * certificates, as Envoy's per-listener {@code require_client_certificate}. One identity for all
 * ports because one Secret per pod is what operators manage; the client-certificate rule differs
 * per port because the admin port and the data plane have different clients.
 *
 * <pre>
 * tls:
 *   cert: /etc/modelgate/tls/tls.crt
 *   key: /etc/modelgate/tls/tls.key
 *   client-ca: /etc/modelgate/tls/ca.crt   # needed when a port is optional or require
 *   ports: {http: require, grpc: optional, admin: none}   # or [http, grpc, admin]; default all, none
 *   reload-interval: 10s                   # how often the files are checked for rotation
 * </pre>
 *
 * @param cert the PEM certificate chain, leaf first; {@code null} when TLS is off
 * @param key the PEM private key (PKCS#8, or PKCS#1 RSA) of the leaf certificate
 * @param clientCa the PEM CA certificates that verify client certificates, or {@code null}
 * @param ports the ports that speak TLS and their client-certificate rule; empty when TLS is off
 * @param reloadInterval how often the files are checked for a rotated pair
 */
public record TlsConfig(Path cert, Path key, Path clientCa, Map<Port, ClientAuth> ports,
        Duration reloadInterval) {

    /** The server's listening ports. */
    public enum Port { HTTP, GRPC, ADMIN }

    /** Whether a port asks clients for a certificate, verified against {@code client-ca}. */
    public enum ClientAuth { NONE, OPTIONAL, REQUIRE }

    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(10);

    static final Set<String> KEYS = Set.of("cert", "key", "client-ca", "ports", "reload-interval");

    public TlsConfig {
        ports = Map.copyOf(ports);
        Objects.requireNonNull(reloadInterval, "reloadInterval");
    }

    /** TLS on no port. */
    public static TlsConfig off() {
        return new TlsConfig(null, null, null, Map.of(), DEFAULT_RELOAD_INTERVAL);
    }

    /** Whether {@code port} speaks TLS. */
    public boolean enabled(Port port) {
        return ports.containsKey(port);
    }

    /** {@code port}'s client-certificate rule ({@code NONE} when it has no TLS). */
    public ClientAuth clientAuth(Port port) {
        return ports.getOrDefault(port, ClientAuth.NONE);
    }

    /** Reads the {@code tls} section of {@code in}; {@link #off()} when there is none. */
    static TlsConfig read(ConfigValues in, Path baseDir, ConfigProblems problems) {
        if (!in.has("tls")) {
            return off();
        }
        Map<String, ?> section = in.section("tls");
        if (section == null) {
            return off();
        }
        ConfigProblems within = problems.within("tls.");
        ConfigValues tls = new ConfigValues(section, within);
        tls.rejectUnknown(KEYS);
        Path cert = file(tls, "cert", baseDir, within, true);
        Path key = file(tls, "key", baseDir, within, true);
        Path ca = file(tls, "client-ca", baseDir, within, false);
        Map<Port, ClientAuth> ports = ports(section.get("ports"), within);
        if (ca == null) {
            ports.forEach((port, auth) -> {
                if (auth != ClientAuth.NONE) {
                    within.add("ports." + name(port), name(auth), "none, or a client-ca to verify against");
                }
            });
        }
        Duration interval = tls.duration("reload-interval", DEFAULT_RELOAD_INTERVAL);
        return new TlsConfig(cert, key, ca, ports, interval);
    }

    private static Path file(ConfigValues tls, String name, Path baseDir, ConfigProblems problems,
            boolean required) {
        String text = tls.string(name, null);
        if (text == null) {
            if (required) {
                problems.add(name, null, "a PEM file");
            }
            return null;
        }
        Path path = baseDir.resolve(text).normalize();
        if (!Files.isReadable(path) || Files.isDirectory(path)) {
            problems.add(name, path, "a readable PEM file");
        }
        return path;
    }

    /** {@code {http: require, ...}}, {@code [http, grpc]} or {@code "http=require,grpc"}. */
    private static Map<Port, ClientAuth> ports(Object value, ConfigProblems problems) {
        Map<String, Object> entries = new LinkedHashMap<>();
        if (value == null) {
            for (Port port : Port.values()) {
                entries.put(name(port), "none");
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> entries.put(String.valueOf(k), v));
        } else if (value instanceof List<?> list) {
            list.forEach(item -> entries.put(String.valueOf(item), "none"));
        } else if (value instanceof String text) {
            for (String item : text.split(",")) {
                String[] pair = item.trim().split("=", 2);
                entries.put(pair[0].trim(), pair.length == 2 ? pair[1].trim() : "none");
            }
        } else {
            problems.add("ports", value, "a map of http, grpc, admin to none, optional or require");
        }
        Map<Port, ClientAuth> ports = new EnumMap<>(Port.class);
        entries.forEach((name, auth) -> {
            Port port = parse(Port.class, name);
            ClientAuth rule = parse(ClientAuth.class, auth == null || Boolean.FALSE.equals(auth)
                    ? "none" : String.valueOf(auth));
            if (port == null) {
                problems.add("ports", name, "http, grpc or admin");
            } else if (rule == null) {
                problems.add("ports." + name, auth, "none, optional or require");
            } else {
                ports.put(port, rule);
            }
        });
        return ports;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String text) {
        for (E value : type.getEnumConstants()) {
            if (value.name().equalsIgnoreCase(text.trim())) {
                return value;
            }
        }
        return null;
    }

    static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
