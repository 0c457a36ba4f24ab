package dev.modelgate.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.RuntimeRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard as a browser renders it: the system's headless Chromium (never a downloaded one;
 * the test is skipped where {@code /usr/bin/chromium} is missing) loads /dashboard under live
 * load and the DOM it dumps must show the service and both revisions in the table the script
 * fills from the event stream. {@code --dump-dom} after a virtual time budget never fires with an
 * open SSE stream, so the page is dumped as it settles, and loaded again until a frame rendered.
 */
class DashboardBrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    static Path repo;
    static Modelgate server;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no /usr/bin/chromium (Debian package chromium)");
        for (int version = 1; version <= 2; version++) {
            Path dir = Files.createDirectories(repo.resolve("clf/" + version));
            Files.writeString(dir.resolve("model.fake"), "format = modelgate-fake/1\nfeatures = 2\n"
                    + "units = 2\nweights = 1, 0, 0, 1\nbias = 0, 0\ndelay-ms = 1\n");
        }
        Files.writeString(repo.resolve("clf/model.yaml"), "runtime: fake\n");
        Map<String, Object> service = Map.of("name", "clf",
                "revisions", List.of(Map.of("name", "stable", "model", "clf", "version", 1),
                        Map.of("name", "canary", "model", "clf", "version", 2)),
                "traffic", Map.of("weights", Map.of("stable", 80, "canary", 20)));
        Map<String, Object> values = new HashMap<>(Map.of("model-repository", repo.toString(),
                "http-port", 0, "admin-port", 0, "bind-address", "127.0.0.1",
                "access-log", "off", "services", List.of(service)));
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

    @Test
    void theRenderedPageShowsTheServiceAndItsRevisionsUnderLoad() throws Exception {
        AtomicBoolean loading = new AtomicBoolean(true);
        CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest infer = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.httpPort() + "/v2/models/clf/infer")).POST(HttpRequest.BodyPublishers
                    .ofString("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2],"
                            + "\"data\":[1,0]}]}")).build();
            while (loading.get()) {
                try {
                    http.send(infer, HttpResponse.BodyHandlers.discarding());
                } catch (Exception e) {
                    return;
                }
            }
        });
        try {
            // Chromium dumps the DOM once the page settles, which may be before the feed's first
            // frame (the feed starts sampling when first opened): ask again until one arrived.
            String dom = chromium("--dump-dom");
            for (int tries = 1; tries < 10 && !dom.contains("<tbody><tr"); tries++) {
                Thread.sleep(1000);
                dom = chromium("--dump-dom");
            }
            assertThat(dom).contains("<h2><span>clf</span>");
            assertThat(dom).contains("<td", "stable", "canary");
            Path shot = Path.of("target", "dashboard-browser.png").toAbsolutePath();
            chromium("--screenshot=" + shot);
            assertThat(shot).exists();
        } finally {
            loading.set(false);
            load.get(10, TimeUnit.SECONDS);
        }
    }

    private static String chromium(String action) throws Exception {
        Path profile = Files.createTempDirectory(repo, "chromium");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1400,1000", "--timeout=7000", action,
                "http://127.0.0.1:" + server.adminPort() + "/dashboard"));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }
}
