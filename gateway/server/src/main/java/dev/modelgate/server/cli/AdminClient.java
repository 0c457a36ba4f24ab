package dev.modelgate.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.server.json.JsonLimits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The admin API as the {@code modelgate rollout} commands call it: JSON in and out, the bearer
 * token when one is given, and an admin error ({@code {"error": ...}}) as an exception carrying
 * the status and message.
 */
final class AdminClient {
    private static final ObjectMapper JSON = JsonLimits.jsonMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final URI base;
    private final String token;

    AdminClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** An admin call that did not answer 200. */
    static final class AdminException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        AdminException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    JsonNode get(String path) {
        return send("GET", path, null);
    }

    JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    private JsonNode send(String method, String path, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new AdminException(response.statusCode(), json.path("error").asText(response.body()));
            }
            return json;
        } catch (IOException e) {
            throw new AdminException(0, base + ": " + e.getMessage() + " (expected: a Modelgate admin API)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException(0, "interrupted");
        }
    }
}
