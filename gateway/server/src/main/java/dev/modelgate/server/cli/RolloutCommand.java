package dev.modelgate.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code modelgate rollout start|status|resume|abort|promote}: progressive rollouts through the
 * admin API only, for a pipeline step or a notebook. With {@code --wait} a command follows the
 * rollout to its end, printing each new decision log entry, and its exit code is the outcome:
 * {@value #PROMOTED} promoted, {@value #ROLLED_BACK} rolled back, {@value #PAUSED} paused (a human
 * must resume, abort or promote), 1 an admin API error, 2 a usage error.
 */
@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = "Starts and follows progressive rollouts through the admin API.",
        subcommands = {RolloutCommand.Start.class, RolloutCommand.Status.class,
            RolloutCommand.Resume.class, RolloutCommand.Abort.class, RolloutCommand.Promote.class},
        footer = {"", "Exit codes: 0 promoted (or accepted, without --wait), 3 rolled back,"
            + " 4 paused, 1 admin API error, 2 usage error."})
final class RolloutCommand implements Runnable {
    static final int PROMOTED = 0;
    static final int ROLLED_BACK = 3;
    static final int PAUSED = 4;
    static final int ADMIN_ERROR = 1;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What every rollout subcommand takes. */
    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--admin", required = true, paramLabel = "URL",
                description = "The gateway's admin API, e.g. http://localhost:8082")
        URI admin;

        @Option(names = "--service", required = true, paramLabel = "S", description = "The service.")
        String service;

        @Option(names = "--token-file", paramLabel = "FILE",
                description = "A file holding the admin bearer token (admin-token-file).")
        Path tokenFile;

        @Option(names = "--wait", description = "Follow the rollout to its end, printing the decision log.")
        boolean wait;

        @Option(names = "--poll", paramLabel = "DURATION", defaultValue = "PT1S",
                description = "How often --wait asks (ISO-8601, default ${DEFAULT-VALUE}).")
        Duration poll;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                AdminClient client = new AdminClient(admin, token());
                JsonNode view = act(client, "/admin/services/" + service + "/rollout");
                int printed = DecisionPrinter.print(out, view.path("state"), 0);
                while (wait && !over(view.path("state"))) {
                    LockSupport.parkNanos(poll.toNanos());
                    view = client.get("/admin/services/" + service + "/rollout");
                    printed = DecisionPrinter.print(out, view.path("state"), printed);
                }
                out.flush();
                return exitCode(view.path("state"), wait);
            } catch (AdminClient.AdminException | IOException e) {
                spec.commandLine().getErr().println("modelgate rollout: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return ADMIN_ERROR;
            }
        }

        abstract JsonNode act(AdminClient client, String path);

        private String token() throws IOException {
            return tokenFile == null ? null : Files.readString(tokenFile).trim();
        }
    }

    static boolean over(JsonNode state) {
        return List.of("PROMOTED", "ROLLED_BACK", "PAUSED").contains(state.path("phase").asText());
    }

    /** The outcome as an exit code; a running rollout (no --wait) is 0. */
    static int exitCode(JsonNode state, boolean waited) {
        return switch (state.path("phase").asText()) {
            case "ROLLED_BACK" -> ROLLED_BACK;
            case "PAUSED" -> waited ? PAUSED : PROMOTED;
            default -> PROMOTED;
        };
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Starts a rollout from the baseline to the candidate.")
    static final class Start extends Base {
        @Option(names = "--candidate", required = true, paramLabel = "R", description = "The new revision.")
        String candidate;

        @Option(names = "--baseline", paramLabel = "R",
                description = "The stable revision (default: the service's stable one).")
        String baseline;

        @Option(names = "--steps", split = ",", paramLabel = "W", defaultValue = "10,25,50",
                description = "Candidate weights in percent, one per step (default ${DEFAULT-VALUE}).")
        List<Integer> steps;

        @Option(names = "--hold", paramLabel = "DURATION", defaultValue = "1m",
                description = "How long each step is held before it is judged (500ms, 30s, 2m; default ${DEFAULT-VALUE}).")
        String hold;

        @Option(names = "--min-samples", paramLabel = "N",
                description = "Fewest requests per side for a verdict (default: the gateway's 100).")
        Long minSamples;

        @Option(names = "--max-extensions", paramLabel = "N",
                description = "Extensions of an inconclusive step before it pauses (default 3).")
        Integer maxExtensions;

        @Option(names = "--alpha", paramLabel = "P",
                description = "Significance level of each test (default 0.01).")
        Double alpha;

        @Option(names = "--latency-tolerance", paramLabel = "FRACTION",
                description = "Slowdown of the median allowed before a significant one fails (default 0.10).")
        Double latencyTolerance;

        @Override
        JsonNode act(AdminClient client, String path) {
            String from = baseline != null ? baseline
                    : client.get("/admin/services/" + service).path("stable").asText();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("baseline", from);
            body.put("candidate", candidate);
            body.put("steps", steps.stream().map(w -> Map.of("weight", w, "hold", hold)).toList());
            Map<String, Object> judge = new LinkedHashMap<>();
            if (minSamples != null) {
                judge.put("min-samples", minSamples);
            }
            if (maxExtensions != null) {
                judge.put("max-extensions", maxExtensions);
            }
            if (alpha != null) {
                judge.put("alpha", alpha);
            }
            if (latencyTolerance != null) {
                judge.put("latency-tolerance", latencyTolerance);
            }
            if (!judge.isEmpty()) {
                body.put("judge", judge);
            }
            return client.post(path, body);
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Prints the rollout's decision log.")
    static final class Status extends Base {
        @Override
        JsonNode act(AdminClient client, String path) {
            return client.get(path);
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Resumes a paused rollout with a fresh window.")
    static final class Resume extends Base {
        @Override
        JsonNode act(AdminClient client, String path) {
            return client.post(path + "/resume", Map.of("by", "modelgate rollout"));
        }
    }

    @Command(name = "abort", mixinStandardHelpOptions = true,
            description = "Rolls the candidate back now.")
    static final class Abort extends Base {
        @Option(names = "--reason", defaultValue = "aborted from the CLI", description = "Kept in the log.")
        String reason;

        @Override
        JsonNode act(AdminClient client, String path) {
            return client.post(path + "/abort", Map.of("by", "modelgate rollout", "reason", reason));
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Promotes the candidate now, skipping the remaining steps.")
    static final class Promote extends Base {
        @Override
        JsonNode act(AdminClient client, String path) {
            return client.post(path + "/promote", Map.of("by", "modelgate rollout"));
        }
    }
}
