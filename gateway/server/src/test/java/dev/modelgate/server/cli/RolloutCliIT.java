package dev.modelgate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.RuntimeRegistry;
import dev.modelgate.server.rollout.Load;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code modelgate rollout ... --wait} against a running gateway (fake runtime: v1 and v2 answer
 * at once, v3 sleeps 25 ms): the exit code says promoted (0), rolled back (3) or paused (4), and
 * the decision log is printed as the rollout goes.
 */
class RolloutCliIT {
    private static final String TOKEN = "cli-token";

    @TempDir
    static Path repo;
    static Modelgate server;
    static Path tokenFile;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void start() throws Exception {
        for (int version = 1; version <= 3; version++) {
            Path dir = Files.createDirectories(repo.resolve("m/" + version));
            Files.writeString(dir.resolve("model.fake"), "format = modelgate-fake/1\nfeatures = 2\n"
                    + "units = 2\nweights = 1, 0, 0, 1\nbias = 0, 0\ndelay-ms = " + (version == 3 ? 25 : 0) + "\n");
        }
        Files.writeString(repo.resolve("m/model.yaml"), "runtime: fake\ninstances: 2\n");
        tokenFile = Files.writeString(repo.resolve("token"), TOKEN + "\n");
        List<Object> services = new ArrayList<>();
        for (String name : List.of("good", "slow", "short")) {
            services.add(Map.of("name", name, "stable", "v1", "revisions", List.of(
                            Map.of("name", "v1", "model", "m", "version", 1),
                            Map.of("name", "v2", "model", "m", "version", 2),
                            Map.of("name", "v3", "model", "m", "version", 3)),
                    "traffic", Map.of("weights", Map.of("v1", 100, "v2", 0, "v3", 0))));
        }
        Map<String, Object> values = new HashMap<>(Map.of("model-repository", repo.toString(),
                "http-port", 0, "admin-port", 0, "bind-address", "127.0.0.1", "services", services,
                "rollout-state-dir", repo.resolve("state").toString(), "access-log", "off",
                "admin-token-file", tokenFile.toString()));
        server = Modelgate.start(ServerConfig.from(values, repo, "test"),
                RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        server.loaded().join();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private String[] rollout(String command, String service, String... more) {
        List<String> args = new ArrayList<>(List.of("rollout", command, "--admin",
                "http://127.0.0.1:" + server.adminPort(), "--service", service,
                "--token-file", tokenFile.toString(), "--poll", "PT0.05S"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void aGoodCandidateIsPromotedWithExitZero() {
        try (Load load = Load.on(server.httpPort(), "good", 3)) {
            // Both revisions are the same instant fake (medians near 0.2 ms), so a 2 ms scheduler
            // hiccup on a loaded CI machine is a 10x "shift": the tolerance is wide because this
            // test is about the exit code of a promotion, not about judging latency.
            int code = run(rollout("start", "good", "--candidate", "v2", "--steps", "30,60",
                    "--hold", "300ms", "--min-samples", "15", "--max-extensions", "20",
                    "--latency-tolerance", "20", "--wait"));
            assertThat(code).as(out + "\n" + err).isZero();
            assertThat(load.failed()).isZero();
        }
        assertThat(out.toString()).contains("STATE", "started: v1 -> v2 in 2 steps", "VERDICTS",
                "latency", "PROMOTED");
    }

    @Test
    void aSlowCandidateIsRolledBackWithExitThree() {
        try (Load load = Load.on(server.httpPort(), "slow", 3)) {
            int code = run(rollout("start", "slow", "--candidate", "v3", "--steps", "20,50",
                    "--hold", "400ms", "--min-samples", "15", "--max-extensions", "10", "--wait"));
            assertThat(code).as(out + "\n" + err).isEqualTo(3);
            assertThat(load.failed()).isZero();
        }
        assertThat(out.toString()).contains("FAIL", "candidate slower", "ROLLED_BACK");
        out.getBuffer().setLength(0);
        assertThat(run(rollout("status", "slow"))).isEqualTo(3);
        assertThat(out.toString()).contains("ROLLED_BACK");
    }

    @Test
    void anInconclusiveRolloutPausesWithExitFourAndAbortRollsBack() {
        try (Load load = Load.on(server.httpPort(), "short", 2)) {
            int code = run(rollout("start", "short", "--candidate", "v2", "--steps", "10",
                    "--hold", "150ms", "--min-samples", "1000000", "--max-extensions", "1", "--wait"));
            assertThat(code).as(out + "\n" + err).isEqualTo(4);
            assertThat(out.toString()).contains("EXTENSION", "too few samples", "PAUSED");
            assertThat(run(rollout("abort", "short", "--reason", "no traffic today"))).isEqualTo(3);
            assertThat(out.toString()).contains("no traffic today");
        }
    }

    @Test
    void adminErrorsAreExitOneAndUsageErrorsExitTwo() {
        assertThat(run(rollout("status", "nope"))).isEqualTo(1);
        assertThat(err.toString()).contains("modelgate rollout: ", "rollout of service nope");
        assertThat(run("rollout", "start", "--admin", "http://127.0.0.1:1", "--service", "x")).isEqualTo(2);
        assertThat(run("rollout", "--help")).isZero();
        assertThat(out.toString()).contains("start", "status", "resume", "abort", "3 rolled back", "4 paused");
    }
}
