package dev.modelgate.server.cli;

import dev.modelgate.server.config.ConfigException;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.config.YamlFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serves every model version in a Triton-layout model repository.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

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

    @Option(names = "--admin-port", paramLabel = "N",
            description = "The admin API, /metrics and dashboard port (default 8082; 0 picks a free one).")
    Integer adminPort;

    @Option(names = "--admin-token-file", paramLabel = "FILE",
            description = "A file holding the bearer token admin calls must carry.")
    Path adminTokenFile;

    @Option(names = "--drain-timeout", paramLabel = "SECONDS",
            description = "On SIGTERM, how long admitted requests may take to finish (default 30).")
    Integer drainSeconds;

    @Override
    public Integer call() {
        Path cwd = Path.of("").toAbsolutePath();
        ServerConfig config;
        try {
            config = config(cwd);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("modelgate: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return Serving.CONFIG_ERROR;
        }
        return Serving.run(config, spec.commandLine().getErr(),
                configFile == null ? null : cwd.resolve(configFile), () -> config(cwd));
    }

    /** The config file overlaid with the flags, validated once; flag paths resolve against cwd. */
    ServerConfig config(Path cwd) {
        Map<String, Object> values = new LinkedHashMap<>();
        Path base = cwd;
        String source = "command line";
        if (configFile != null) {
            Path file = cwd.resolve(configFile);
            values.putAll(YamlFiles.read(file));
            base = file.getParent();
            source = "config " + file + " with command line";
        }
        if (modelRepository != null) {
            values.put("model-repository", cwd.resolve(modelRepository).toString());
        }
        if (httpPort != null) {
            values.put("http-port", httpPort);
        }
        if (grpcPort != null) {
            values.put("grpc-port", grpcPort);
        }
        if (adminPort != null) {
            values.put("admin-port", adminPort);
        }
        if (drainSeconds != null) {
            values.put("drain-timeout", drainSeconds + "s");
        }
        if (adminTokenFile != null) {
            values.put("admin-token-file", cwd.resolve(adminTokenFile).toString());
        }
        return ServerConfig.from(values, base, source);
    }
}
