package dev.modelgate.controller.kube;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import tools.jackson.core.type.TypeReference;

/**
 * GETs on a gateway's admin API with the JDK HTTP client: JSON objects in, plain maps out (fabric8's serialization,
 * so the controller needs no second JSON library). The admin token, when the gateway has one, goes in
 * {@code Authorization: Bearer}. Every call has a deadline, so a gateway that hangs costs one timeout, never a
 * stuck thread.
 */
final class GatewayAdmin {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final HttpClient http;
    private final Duration timeout;
    private final Optional<String> token;
    private final KubernetesSerialization json;

    GatewayAdmin(HttpClient http, Duration timeout, Optional<String> token, KubernetesSerialization json) {
        this.http = Objects.requireNonNull(http, "http");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.token = Objects.requireNonNull(token, "token");
        this.json = Objects.requireNonNull(json, "json");
    }

    /** The answer's JSON object; empty on 404; a failed future on any other status, bad JSON or no answer. */
    CompletableFuture<Optional<Map<String, Object>>> get(URI uri) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
                .header("Accept", "application/json");
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + uri + ": HTTP " + response.statusCode());
            }
            return Optional.of(json.unmarshal(response.body(), MAP));
        });
    }
}
