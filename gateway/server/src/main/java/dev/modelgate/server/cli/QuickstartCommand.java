package dev.modelgate.server.cli;

import dev.modelgate.server.config.ServerConfig;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Serves the shipped examples/model-repository (iris) on port 8080.")
final class QuickstartCommand implements Callable<Integer> {
    static final String EXAMPLES = "examples/model-repository";

    @Spec
    CommandSpec spec;

    @Option(names = "--http-port", paramLabel = "N", defaultValue = "8080",
            description = "The REST port (default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--admin-port", paramLabel = "N", defaultValue = "8082",
            description = "The admin API, /metrics and dashboard port (default ${DEFAULT-VALUE}).")
    int adminPort;

    @Override
    public Integer call() {
        Path repository = findExamples();
        if (repository == null) {
            spec.commandLine().getErr().println("modelgate: model-repository: " + EXAMPLES
                    + " (expected: run from the Modelgate checkout, or use serve --model-repository)");
            spec.commandLine().getErr().flush();
            return Serving.CONFIG_ERROR;
        }
        ServerConfig config;
        try {
            // Rollout state goes to the temp dir, not into the shipped examples. No drain delay:
            // no load balancer sits in front of a demo, and Ctrl-C should stop it at once.
            config = ServerConfig.from(Map.of("model-repository", repository.toString(),
                    "http-port", httpPort, "admin-port", adminPort, "rollout-state-dir",
                    Path.of(System.getProperty("java.io.tmpdir"), "modelgate-quickstart").toString(),
                    "drain-delay", "0s"),
                    repository, "quickstart");
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("modelgate: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return Serving.CONFIG_ERROR;
        }
        return Serving.run(config, spec.commandLine().getErr());
    }

    /** The examples under the working directory, or beside the jar (gateway/server/target/). */
    private static Path findExamples() {
        List<Path> candidates = new ArrayList<>();
        candidates.add(Path.of(EXAMPLES));
        try {
            Path jar = Path.of(QuickstartCommand.class.getProtectionDomain().getCodeSource()
                    .getLocation().toURI());
            for (Path dir = jar.getParent(); dir != null; dir = dir.getParent()) {
                candidates.add(dir.resolve(EXAMPLES));
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code source: the working directory is the only candidate
        }
        return candidates.stream().filter(Files::isDirectory).map(Path::toAbsolutePath)
                .findFirst().orElse(null);
    }
}
