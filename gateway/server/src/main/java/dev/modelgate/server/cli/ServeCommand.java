package dev.modelgate.server.cli;

import dev.modelgate.server.config.ConfigException;
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

    @Override
    public Integer call() {
        Path cwd = Path.of("").toAbsolutePath();
        ServerConfig config;
        try {
            config = config(cwd);
        } catch (ConfigException e) {
            return StartupErrors.report(e, spec.commandLine().getErr(), options.debug);
        }
        return Serving.run(config, spec.commandLine().getErr(), options.debug,
                options.configFile(cwd), () -> config(cwd));
    }

    /** The config file overlaid with the flags, validated once; flag paths resolve against cwd. */
    ServerConfig config(Path cwd) {
        Map<String, Object> more = new LinkedHashMap<>();
        ServerOptions.putIfGiven(more, "admin-port", adminPort);
        ServerOptions.putIfGiven(more, "admin-token-file",
                adminTokenFile == null ? null : cwd.resolve(adminTokenFile).toString());
        return options.config(cwd, more, true);
    }
}
