package dev.modelgate.server.cli;

import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.ModelRepository;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
            Map<String, Object> values = new LinkedHashMap<>(Map.of("model-repository",
                    repository.toString(), "http-port", httpPort, "admin-port", adminPort,
                    "rollout-state-dir",
                    Path.of(System.getProperty("java.io.tmpdir"), "modelgate-quickstart").toString(),
                    "drain-delay", "0s"));
            values.put("services", List.of(followedIris(repository)));
            config = ServerConfig.from(values, repository, "quickstart");
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("modelgate: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return Serving.CONFIG_ERROR;
        }
        return Serving.run(config, spec.commandLine().getErr());
    }

    /**
     * The {@code iris} service as the implicit one would be (a revision per version, named by its
     * number, all traffic on version 1), plus {@code follow-repository}: a version a trainer adds
     * ({@code examples/retrain-and-roll-out.sh}) is shadowed, then stepped to 25% and 50%, each
     * held 10 seconds, and promoted or rolled back. The judge is lenient on latency (a laptop's
     * noise must not roll back a good model) and strict on agreement with the stable answers.
     */
    static Map<String, Object> followedIris(Path repository) {
        List<Map<String, Object>> revisions = new ArrayList<>();
        Map<String, Object> weights = new LinkedHashMap<>();
        ModelRepository.versionDirectories(repository.resolve("iris"), "model.onnx").forEach(
                (version, complete) -> {
                    if (complete) {
                        String name = Long.toString(version);
                        revisions.add(Map.of("name", name, "model", "iris", "version", name));
                        weights.put(name, weights.isEmpty() ? 100 : 0);
                    }
                });
        Map<String, Object> iris = new LinkedHashMap<>();
        iris.put("name", "iris");
        iris.put("revisions", revisions);
        iris.put("traffic", Map.of("weights", weights));
        iris.put("follow-repository", Map.of("poll-interval", "2s", "rollout", Map.of(
                "shadow", Map.of("hold", "10s"),
                "steps", List.of(Map.of("weight", 25, "hold", "10s"), Map.of("weight", 50, "hold", "10s")),
                "judge", Map.of("min-samples", 50, "max-extensions", 6, "alpha", 0.001,
                        "latency-tolerance", 1.0, "shadow", Map.of("min-agreement", 0.95)))));
        return iris;
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
