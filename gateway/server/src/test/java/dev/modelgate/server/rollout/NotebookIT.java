package dev.modelgate.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.RuntimeRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code examples/notebooks/modelgate-rollout.ipynb} headless ({@code jupyter nbconvert
 * --execute}, Debian's jupyter-nbconvert, python3-ipykernel, python3-matplotlib, python3-requests)
 * against a live gateway serving the shipped iris versions 1 and 2, as the quickstart does: the
 * notebook calls the model, starts a rollout of 2 through the admin API, polls its decision log
 * and saves two plots. Skipped, saying what is missing, where {@code /usr/bin/python3} lacks them.
 */
class NotebookIT {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path NOTEBOOK = IrisRolloutIT.EXAMPLES.resolveSibling("notebooks")
            .resolve("modelgate-rollout.ipynb");
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

    @TempDir
    static Path dir;
    static Modelgate server;

    @BeforeAll
    static void start() {
        ServerConfig config = ServerConfig.from(Map.of("model-repository", IrisRolloutIT.EXAMPLES.toString(),
                "http-port", 0, "admin-port", 0, "bind-address", "127.0.0.1", "access-log", "off",
                "rollout-state-dir", dir.toString()), IrisRolloutIT.EXAMPLES, "test");
        server = Modelgate.start(config, RuntimeRegistry.fromClassPath());
        server.loaded().join();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theNotebookRollsOutIrisTwoAndSavesItsPlots() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), PYTHON + " is missing");
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c",
                "import nbconvert, ipykernel, matplotlib, requests").redirectErrorStream(true).start();
        String missing = new String(probe.getInputStream().readAllBytes());
        assumeTrue(probe.waitFor() == 0, "the notebook needs Debian's jupyter-nbconvert, python3-ipykernel,"
                + " python3-matplotlib and python3-requests: " + missing.strip());

        Path figures = dir.resolve("figures");
        Path log = dir.resolve("nbconvert.log");
        ProcessBuilder nbconvert = new ProcessBuilder(PYTHON.toString(), "-m", "jupyter", "nbconvert",
                "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=240",
                "--output-dir", dir.toString(), "--output", "executed.ipynb", NOTEBOOK.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        nbconvert.environment().putAll(Map.of(
                "MODELGATE_URL", "http://127.0.0.1:" + server.httpPort(),
                "MODELGATE_ADMIN_URL", "http://127.0.0.1:" + server.adminPort(),
                "MODELGATE_CANDIDATE", "2",
                "MODELGATE_FIGURES", figures.toString(),
                "MPLBACKEND", "Agg"));
        Process run = nbconvert.start();
        boolean exited = run.waitFor(300, TimeUnit.SECONDS);
        if (!exited) {
            run.destroyForcibly();
        }
        assertThat(exited).as("nbconvert finished").isTrue();
        assertThat(run.exitValue()).as(Files.readString(log)).isZero();

        for (String figure : List.of("rollout-traffic-split.png", "rollout-latency.png")) {
            byte[] png = Files.readAllBytes(figures.resolve(figure));
            assertThat(png.length).as(figure).isGreaterThan(10_000);
            assertThat(java.util.Arrays.copyOf(png, 4)).as(figure).isEqualTo(PNG);
        }
        String phase = new Admin(server.adminPort()).phase("iris");
        assertThat(phase).isIn("PROMOTED", "ROLLED_BACK");
        String executed = Files.readString(dir.resolve("executed.ipynb"));
        assertThat(executed).contains("stable 1 -> candidate 2", "rollout " + phase + " ; figures:")
                .doesNotContain("\"output_type\": \"error\"");
    }
}
