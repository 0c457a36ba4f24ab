package dev.modelgate.server.cli;

import dev.modelgate.server.config.ConfigException;
import dev.modelgate.server.config.RoutingSource;
import dev.modelgate.server.config.RoutingSources;
import dev.modelgate.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serves every model version in a Triton-layout model repository.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions options = new ServerOptions();

    @Option(names = "--admin-port", paramLabel = "N",
            description = "The admin API, /metrics and dashboard port (default 8082; 0 picks a free one).")
    Integer adminPort;

    @Option(names = "--admin-token-file", paramLabel = "FILE",
            description = "A file holding the bearer token admin calls must carry.")
    Path adminTokenFile;

    @Option(names = "--routing-source", paramLabel = "NAME",
            description = "Learn the services from a routing source instead of the config file's"
                    + " services: block; kubernetes: the routing tables a Modelgate controller"
                    + " publishes (needs the modelgate-discovery jar on the class path).")
    String routingSource;

    @Option(names = "--model-control", paramLabel = "MODE",
            description = "none (default: the repository extension is read-only) or explicit"
                    + " (clients load and unload models, as Triton's --model-control-mode).")
    String modelControl;

    @Override
    public Integer call() {
        Path cwd = Path.of("").toAbsolutePath();
        ServerConfig config;
        RoutingSource source = null;
        try {
            config = config(cwd);
            if (routingSource != null) {
                source = routingSource(config);
            }
        } catch (ConfigException e) {
            return StartupErrors.report(e, spec.commandLine().getErr(), options.debug);
        }
        if (source != null) {
            return Serving.run(config, spec.commandLine().getErr(), options.debug, null, null,
                    new Serving.Source(routingSource, source));
        }
        return Serving.run(config, spec.commandLine().getErr(), options.debug,
                options.configFile(cwd), () -> config(cwd), null);
    }

    /** The named source, made from the environment; the config file may then name no services. */
    private RoutingSource routingSource(ServerConfig config) {
        if (!config.services().isEmpty()) {
            throw new ConfigException("command line", "services: " + config.services().size()
                    + " in the config file (expected: none with --routing-source " + routingSource
                    + "; the source supplies them)");
        }
        return RoutingSources.find(routingSource, ServeCommand.class.getClassLoader())
                .create(System.getenv());
    }

    /** The config file overlaid with the flags, validated once; flag paths resolve against cwd. */
    ServerConfig config(Path cwd) {
        Map<String, Object> more = new LinkedHashMap<>();
        ServerOptions.putIfGiven(more, "admin-port", adminPort);
        ServerOptions.putIfGiven(more, "model-control", modelControl);
        ServerOptions.putIfGiven(more, "admin-token-file",
                adminTokenFile == null ? null : cwd.resolve(adminTokenFile).toString());
        return options.config(cwd, more, true);
    }
}
