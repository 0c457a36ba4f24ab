package dev.modelgate.server.cli;

import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.config.YamlFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The flags {@code serve} and {@code runtime} share, and how they overlay the config file: the file
 * is read first, then every flag given replaces its key, then the whole is validated once.
 */
final class ServerOptions {
    @Option(names = "--model-repository", paramLabel = "DIR",
            description = "The model repository: <model>/<version>/model.<runtime>, optional <model>/model.yaml.")
    Path modelRepository;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A YAML server config (kebab-case keys); flags override it.")
    Path configFile;

    @Option(names = "--http-port", paramLabel = "N",
            description = "The REST port (default 8080; 0 picks a free one).")
    Integer httpPort;

    @Option(names = "--grpc-port", paramLabel = "N",
            description = "The gRPC port (default 8081; 0 picks a free one).")
    Integer grpcPort;

    @Option(names = "--debug",
            description = "Print the stack trace of a failed start-up (the cause is always one line).")
    boolean debug;

    @Option(names = "--drain-timeout", paramLabel = "SECONDS",
            description = "On SIGTERM, how long admitted requests may take to finish (default 30).")
    Integer drainSeconds;

    @Option(names = "--drain-delay", paramLabel = "SECONDS",
            description = "On SIGTERM, how long open connections keep being served (answers with"
                    + " Connection: close, gRPC GOAWAY) before idle ones close (default 5; 0 for none).")
    Integer drainDelaySeconds;

    @Option(names = "--header-timeout", paramLabel = "SECONDS",
            description = "How long a client may take to send a request's headers (default 60).")
    Integer headerTimeoutSeconds;

    @Option(names = "--max-pipelined-requests", paramLabel = "N",
            description = "Requests one connection may have unanswered before it stops reading (default 64).")
    Integer maxPipelined;

    @Option(names = "--max-connections-per-client", paramLabel = "N",
            description = "Open data-plane connections per client address (default 1024; 0 for no cap).")
    Integer maxConnectionsPerClient;

    @Option(names = "--metrics-need-token",
            description = "/metrics needs the admin token too (default: open for Prometheus).")
    Boolean metricsNeedToken;

    @Option(names = "--allow-shared-memory",
            description = "Offer Triton's system shared memory extension: clients register"
                    + " /dev/shm regions and pass tensors through them (default: off).")
    Boolean allowSharedMemory;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate chain for TLS (tls.cert; reloaded when it changes).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "PEM private key of --tls-cert, PKCS#8 or PKCS#1 RSA (tls.key).")
    Path tlsKey;

    @Option(names = "--tls-client-ca", paramLabel = "FILE",
            description = "PEM CA certificates that verify client certificates (tls.client-ca).")
    Path tlsClientCa;

    @Option(names = "--tls-ports", paramLabel = "PORT[=AUTH],...",
            description = "Ports that speak TLS and their client-certificate rule, e.g."
                    + " http=require,grpc,admin (AUTH: none, optional, require; default: all ports, none).")
    String tlsPorts;

    /**
     * The config file overlaid with these flags and {@code more} (keys of the calling command),
     * validated once; flag paths resolve against {@code cwd}, the file's against its folder.
     *
     * @param withServices whether the file's {@code services} count (the runtime server has none)
     */
    ServerConfig config(Path cwd, Map<String, Object> more, boolean withServices) {
        Map<String, Object> values = new LinkedHashMap<>();
        Path base = cwd;
        String source = "command line";
        if (configFile != null) {
            Path file = cwd.resolve(configFile);
            values.putAll(YamlFiles.read(file));
            if (!withServices) {
                values.remove("services");
            }
            base = file.getParent();
            source = "config " + file + " with command line";
        }
        if (modelRepository != null) {
            values.put("model-repository", cwd.resolve(modelRepository).toString());
        }
        putIfGiven(values, "http-port", httpPort);
        putIfGiven(values, "grpc-port", grpcPort);
        putIfGiven(values, "drain-timeout", drainSeconds == null ? null : drainSeconds + "s");
        putIfGiven(values, "drain-delay", drainDelaySeconds == null ? null : drainDelaySeconds + "s");
        putIfGiven(values, "header-timeout",
                headerTimeoutSeconds == null ? null : headerTimeoutSeconds + "s");
        putIfGiven(values, "max-pipelined-requests", maxPipelined);
        putIfGiven(values, "max-connections-per-client", maxConnectionsPerClient);
        putIfGiven(values, "metrics-need-token", metricsNeedToken);
        putIfGiven(values, "shared-memory", Boolean.TRUE.equals(allowSharedMemory) ? "system" : null);
        tlsFlags(values, cwd);
        values.putAll(more);
        return ServerConfig.from(values, base, source);
    }

    /** The {@code --tls-*} flags over the file's {@code tls} block, key by key. */
    private void tlsFlags(Map<String, Object> values, Path cwd) {
        Map<String, Object> tls = new LinkedHashMap<>();
        putIfGiven(tls, "cert", tlsCert == null ? null : cwd.resolve(tlsCert).toString());
        putIfGiven(tls, "key", tlsKey == null ? null : cwd.resolve(tlsKey).toString());
        putIfGiven(tls, "client-ca", tlsClientCa == null ? null : cwd.resolve(tlsClientCa).toString());
        putIfGiven(tls, "ports", tlsPorts);
        if (!tls.isEmpty()) {
            Map<String, Object> merged = new LinkedHashMap<>();
            if (values.get("tls") instanceof Map<?, ?> file) {
                file.forEach((k, v) -> merged.put(String.valueOf(k), v));
            }
            merged.putAll(tls);
            values.put("tls", merged);
        }
    }

    /** The config file the flags name, resolved, or {@code null}. */
    Path configFile(Path cwd) {
        return configFile == null ? null : cwd.resolve(configFile);
    }

    static void putIfGiven(Map<String, Object> values, String key, Object value) {
        if (value != null) {
            values.put(key, value);
        }
    }
}
