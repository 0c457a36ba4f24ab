package dev.modelgate.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.config.YamlFiles;
import dev.modelgate.server.host.RuntimeRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API's error paths on a real server: every answer is JSON with the right status, never a
 * 500, a plain-text page or a 404 for a wrong method, and validation messages stay bounded.
 */
class AdminErrorsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path dir;
    private static Modelgate server;

    @BeforeAll
    static void start() throws Exception {
        for (int version = 1; version <= 2; version++) {
            Path file = FakeModelFile.writeFixture(dir.resolve("models/toy/" + version));
            Files.move(file, file.resolveSibling("model.fake"));
        }
        Files.writeString(dir.resolve("models/toy/model.yaml"), "runtime: fake\n");
        Path config = dir.resolve("modelgate.yaml");
        Files.writeString(config, """
                model-repository: models
                http-port: 0
                admin-port: 0
                bind-address: 127.0.0.1
                services:
                  - name: svc
                    revisions:
                      - {name: a, model: toy, version: 1}
                      - {name: b, model: toy, version: 2}
                    traffic:
                      weights: {a: 100, b: 0}
                """);
        server = Modelgate.start(ServerConfig.from(YamlFiles.read(config), dir, "test"),
                RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        server.loaded().join();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Answer(int status, String contentType, String allow, JsonNode body) {
        String error() {
            return body.path("error").asText();
        }
    }

    private static Answer call(String method, String path, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + server.adminPort() + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(),
                response.headers().firstValue("content-type").orElse(""),
                response.headers().firstValue("allow").orElse(null), JSON.readTree(response.body()));
    }

    @Test
    void emptyBodiesAre400WithJson() throws Exception {
        for (String[] call : new String[][] {{"PUT", "/admin/services/svc/traffic/weights"},
                {"PUT", "/admin/services/svc/traffic"}, {"POST", "/admin/services/svc/revisions"},
                {"PUT", "/admin/models/toy/versions/1/instances"}}) {
            for (String body : new String[] {null, "", "  "}) {
                Answer answer = call(call[0], call[1], body);
                assertThat(answer.status()).as(call[0] + " " + call[1]).isEqualTo(400);
                assertThat(answer.contentType()).isEqualTo("application/json");
                assertThat(answer.error()).isEqualTo("body: empty (expected: a JSON document)");
            }
        }
    }

    @Test
    void aWrongMethodIs405WithAllow() throws Exception {
        Answer answer = call("DELETE", "/admin/services/svc/traffic", null);
        assertThat(answer.status()).isEqualTo(405);
        assertThat(answer.allow()).contains("GET").contains("PUT");
        assertThat(answer.contentType()).isEqualTo("application/json");
        assertThat(answer.error()).startsWith("method: DELETE (expected: ");
        assertThat(call("GET", "/admin/nothing-here", null).status()).isEqualTo(404);
    }

    @Test
    void aBodyOver1MiBIsAJson413() throws Exception {
        Answer answer = call("PUT", "/admin/services/svc/traffic/weights",
                "{\"a\":\"" + "x".repeat(1 << 20) + "\"}");
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.contentType()).isEqualTo("application/json");
        assertThat(answer.error()).startsWith("body: over 1048576 bytes");
    }

    @Test
    void parserLimitsAre400NotA500() throws Exception {
        Answer deep = call("PUT", "/admin/services/svc/traffic/weights",
                "[".repeat(10_000) + "]".repeat(10_000));
        assertThat(deep.status()).isEqualTo(400);
        assertThat(deep.error()).startsWith("body: nesting 65 levels deep");
        Answer number = call("PUT", "/admin/services/svc/traffic/weights",
                "{\"a\":" + "1".repeat(1500) + "}");
        assertThat(number.status()).isEqualTo(400);
        assertThat(number.error()).startsWith("body: a number 1500 characters long");
    }

    @Test
    void validationMessagesAreBounded() throws Exception {
        StringBuilder weights = new StringBuilder("{");
        for (int i = 0; i < 10_000; i++) {
            weights.append(i == 0 ? "" : ",").append("\"r").append(i).append("\":1");
        }
        Answer answer = call("PUT", "/admin/services/svc/traffic/weights", weights.append('}')
                .toString());
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error()).isNotEmpty().hasSizeLessThan(2_000);
    }
}
