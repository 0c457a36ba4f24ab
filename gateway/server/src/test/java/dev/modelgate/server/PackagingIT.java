package dev.modelgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as a user runs it, {@code java -jar target/modelgate-server-*.jar}: the manifest
 * class path reaches target/lib (ONNX Runtime included), and quickstart finds the examples from
 * the jar's location, whatever the working directory.
 */
class PackagingIT {
    private static final Pattern SERVING = Pattern.compile("serving http://[^:]+:(\\d+)");

    @TempDir
    Path workDir;

    private static Path jar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("modelgate-server-.*\\.jar"))
                    .findFirst().orElseThrow().toAbsolutePath();
        }
    }

    private Process launch(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar().toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    }

    @Test
    void helpAndBadFlags() throws Exception {
        Process help = launch("--help");
        String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(help.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(help.exitValue()).isZero();
        assertThat(text).contains("Usage: modelgate", "serve", "quickstart");

        Process bad = launch("serve", "--no-such-flag");
        String error = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bad.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(bad.exitValue()).isEqualTo(2);
        assertThat(error).contains("Unknown option: '--no-such-flag'");
    }

    @Test
    void quickstartServesTheIrisExample() throws Exception {
        Process server = launch("quickstart", "--http-port", "0");
        try {
            BufferedReader log = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8));
            CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line = log.readLine(); line != null; line = log.readLine()) {
                        Matcher m = SERVING.matcher(line);
                        if (m.find()) {
                            return Integer.parseInt(m.group(1));
                        }
                    }
                    throw new IllegalStateException("server exited before serving");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            int bound = port.get(60, TimeUnit.SECONDS);
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + bound + "/v2/models/iris/infer"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":[{\"name\":\"input\","
                            + "\"datatype\":\"FP32\",\"shape\":[1,4],\"data\":[1.4,0.2,5.1,3.5]}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).startsWith("{\"model_name\":\"iris\",\"model_version\":\"1\"");
        } finally {
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
