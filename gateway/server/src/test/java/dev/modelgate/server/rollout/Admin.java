package dev.modelgate.server.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The admin API as the rollout ITs call it. */
final class Admin {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final int port;

    Admin(int port) {
        this.port = port;
    }

    HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, publisher).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(String method, String path, String body) throws Exception {
        HttpResponse<String> response = call(method, path, body);
        if (response.statusCode() != 200) {
            throw new AssertionError(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** The rollout's state object. */
    JsonNode rollout(String service) throws Exception {
        return json("GET", "/admin/services/" + service + "/rollout", null).get("state");
    }

    String phase(String service) throws Exception {
        return rollout(service).get("phase").asText();
    }

    JsonNode service(String service) throws Exception {
        return json("GET", "/admin/services/" + service, null);
    }

    /** Every decision log entry's kind and message, one line each, for failure messages. */
    String log(String service) throws Exception {
        StringBuilder out = new StringBuilder();
        for (JsonNode entry : rollout(service).get("log").get("entries")) {
            out.append(entry.get("at").asText()).append(' ').append(entry.get("kind").asText()).append(' ')
                    .append(entry.get("phase").asText()).append(' ').append(entry.get("message").asText())
                    .append('\n');
        }
        return out.toString();
    }
}
