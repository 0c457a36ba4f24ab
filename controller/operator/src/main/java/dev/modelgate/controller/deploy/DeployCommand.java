package dev.modelgate.controller.deploy;

import dev.modelgate.controller.deploy.Deployer.Result;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.core.type.TypeReference;

/**
 * {@code modelgate-controller deploy}: create or patch a ModelDeployment and optionally follow its rollout, for a
 * pipeline step (the Kubeflow Pipelines component in {@code deploy/kfp}) or a person. Exit codes: 0 rolled out (or
 * written, without {@code --wait}), 1 the API server failed, 2 a bad flag, 3 the rollout was rolled back, 4 timeout;
 * a non-zero code fails the pipeline run visibly. Every flag takes a string because a pipeline passes {@code ''} for
 * an unset optional input.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Create or patch a ModelDeployment and optionally wait for its rollout.")
public final class DeployCommand implements Callable<Integer> {

    @Option(names = "--name", required = true, description = "the ModelDeployment")
    String name;
    @Option(names = "--namespace", defaultValue = "", description = "its namespace (default: the client's)")
    String namespace;
    @Option(names = "--model-uri", required = true, description = "file://, pvc://, http(s):// or s3:// URI")
    String modelUri;
    @Option(names = "--format", defaultValue = "", description = "model format (required to create), e.g. onnx")
    String format;
    @Option(names = "--format-version", defaultValue = "", description = "model format version")
    String formatVersion;
    @Option(names = "--canary-percent", defaultValue = "", description = "canaryTrafficPercent, 0 to 100")
    String canaryPercent;
    @Option(names = "--rollout", defaultValue = "", description = "rollout settings as JSON or YAML")
    String rollout;
    @Option(names = "--wait", defaultValue = "false", arity = "0..1", fallbackValue = "true",
            description = "follow the status until the rollout succeeds or is rolled back")
    String wait;
    @Option(names = "--timeout", defaultValue = "600", description = "seconds or ISO-8601 (default 600)")
    String timeout;
    @Option(names = "--outcome-file", description = "write Applied, Succeeded, Aborted or Timeout here")
    Path outcomeFile;
    @Option(names = "--revision-file", description = "write the serving revision here")
    Path revisionFile;

    private final Supplier<KubernetesClient> clients;
    private final PrintWriter out;

    private DeployCommand(Supplier<KubernetesClient> clients, PrintWriter out) {
        this.clients = clients;
        this.out = out;
    }

    /** Parses {@code args}, runs the deploy with a client from {@code clients}, returns the exit code. */
    public static int run(String[] args, Supplier<KubernetesClient> clients, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new DeployCommand(clients, out));
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            err.println("modelgate-controller: deploy: " + e.getMessage());
            err.flush();
            return e instanceof DeployException ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        try (KubernetesClient client = clients.get()) {
            DeployRequest request = request(client);
            Deployer deployer = new Deployer(client);
            var written = deployer.apply(request);
            Result result = request.follow()
                    ? deployer.await(request, written.getMetadata().getGeneration())
                    : new Result(DeployOutcome.APPLIED, written);
            write(outcomeFile, result.outcome().word());
            write(revisionFile, result.revision());
            out.println("ModelDeployment " + request.namespace() + "/" + request.name() + ": "
                    + result.outcome().word() + (result.revision().isEmpty() ? "" : ", revision "
                    + result.revision()));
            out.flush();
            return result.outcome().exitCode();
        } catch (KubernetesClientException e) {
            throw new KubernetesClientException("ModelDeployment " + name + ": " + e.getMessage(), e);
        }
    }

    private DeployRequest request(KubernetesClient client) {
        String ns = namespace.isBlank() ? java.util.Objects.requireNonNullElse(client.getNamespace(), "default")
                : namespace.trim();
        return new DeployRequest(name, ns, s3(modelUri), blankToNull(format), blankToNull(formatVersion),
                percent(canaryPercent), rollout(client, rollout), bool(wait), duration(timeout));
    }

    /**
     * Kubeflow Pipelines' default artifact store names its objects {@code minio://bucket/key}, a scheme no model
     * fetcher knows; it is the same object over the S3 API (the endpoint comes from the storage secret).
     */
    static String s3(String uri) {
        return uri != null && uri.startsWith("minio://") ? "s3://" + uri.substring("minio://".length()) : uri;
    }

    /** The command's options, for checks of what calls it (the pipeline component). */
    static CommandLine.Model.CommandSpec spec() {
        return new CommandLine(new DeployCommand(null, null)).getCommandSpec();
    }

    private static Integer percent(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            throw new DeployException("--canary-percent: " + text + " (expected: an integer from 0 to 100)");
        }
    }

    private static Map<String, Object> rollout(KubernetesClient client, String text) {
        if (text.isBlank() || text.trim().equals("{}")) {
            return null;
        }
        try {
            Map<String, Object> map = client.getKubernetesSerialization().unmarshal(text,
                    new TypeReference<Map<String, Object>>() { });
            client.getKubernetesSerialization().convertValue(map, dev.modelgate.controller.crd.RolloutSpec.class);
            return map;
        } catch (RuntimeException e) {
            throw new DeployException("--rollout: " + text + " (expected: a JSON or YAML object with the rollout"
                    + " keys step-weight, max-weight, steps, interval, judge)");
        }
    }

    private static boolean bool(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0", "" -> false;
            default -> throw new DeployException("--wait: " + text + " (expected: true or false)");
        };
    }

    private static Duration duration(String text) {
        try {
            return text.trim().startsWith("P") ? Duration.parse(text.trim())
                    : Duration.ofSeconds(Long.parseLong(text.trim()));
        } catch (RuntimeException e) {
            throw new DeployException("--timeout: " + text + " (expected: seconds or an ISO-8601 duration)");
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }

    private static void write(Path file, String text) {
        if (file == null) {
            return;
        }
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
