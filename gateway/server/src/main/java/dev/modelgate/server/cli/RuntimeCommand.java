package dev.modelgate.server.cli;

import dev.modelgate.server.config.ConfigException;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.config.YamlFiles;
import dev.modelgate.server.host.RuntimeRegistry;
import dev.modelgate.server.runtime.RuntimeServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "runtime", mixinStandardHelpOptions = true,
        description = "Hosts a model repository's models with no traffic splitting (the process"
                + " behind the gateway); models load and unload through /v2/repository.")
final class RuntimeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RuntimeCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--model-repository", paramLabel = "DIR",
            description = "The model repository: <model>/<version>/model.<runtime>, optional <model>/model.yaml.")
    Path modelRepository;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A YAML server config (kebab-case keys; services are ignored); flags override it.")
    Path configFile;

    @Option(names = "--http-port", paramLabel = "N",
            description = "The REST port (default 8080; 0 picks a free one).")
    Integer httpPort;

    @Option(names = "--grpc-port", paramLabel = "N",
            description = "The gRPC port (default 8081; 0 picks a free one).")
    Integer grpcPort;

    @Option(names = "--drain-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "On SIGTERM, how long in-flight requests may take to finish (default 30).")
    long drainSeconds;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Path cwd = Path.of("").toAbsolutePath();
        RuntimeServer server;
        try {
            server = RuntimeServer.start(config(cwd), RuntimeRegistry.fromClassPath());
        } catch (ConfigException e) {
            err.println("modelgate: " + e.getMessage());
            err.flush();
            return Serving.CONFIG_ERROR;
        }
        Duration drain = Duration.ofSeconds(Math.max(0, drainSeconds));
        Thread hook = new Thread(server::close, "modelgate-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Termination.onSignal(() -> server.drain(drain));
        try {
            server.loaded().join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            err.println("modelgate: start-up failed: " + cause.getMessage());
            err.flush();
            server.close();
            return Serving.LOAD_ERROR;
        }
        log.info("Modelgate runtime serving http port {}, gRPC port {}, models: {}",
                server.httpPort(), server.grpcPort(), server.host().modelNames());
        try {
            server.awaitClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("Modelgate runtime stopped");
        return 0;
    }

    ServerConfig config(Path cwd) {
        Map<String, Object> values = new LinkedHashMap<>();
        Path base = cwd;
        String source = "command line";
        if (configFile != null) {
            Path file = cwd.resolve(configFile);
            values.putAll(YamlFiles.read(file));
            values.remove("services");
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
        return ServerConfig.from(values, base, source);
    }
}
