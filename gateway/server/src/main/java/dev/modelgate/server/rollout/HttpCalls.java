package dev.modelgate.server.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.rollout.Action;
import dev.modelgate.rollout.RolloutEvent;
import dev.modelgate.server.json.JsonLimits;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The driver's outbound HTTP: webhook POSTs and PromQL instant queries, with the JDK's client
 * (asynchronous, so no thread waits on a slow hook). A webhook's answer becomes the machine's
 * {@link RolloutEvent.WebhookResult}: 2xx within the hook's timeout is yes, anything else no; the
 * machine counts attempts and asks again, so retries are bounded by the hook's {@code retries}.
 */
final class HttpCalls {
    private static final ObjectMapper JSON = JsonLimits.jsonMapper();
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client;
    private final URI prometheus;

    /** @param prometheus the Prometheus base URL for metric checks, or {@code null} for none */
    HttpCalls(HttpClient client, URI prometheus) {
        this.client = client;
        this.prometheus = prometheus;
    }

    /** POSTs the hook's payload (plus the service name); never fails, a failure is a "no". */
    CompletableFuture<RolloutEvent.WebhookResult> webhook(String service, Action.CallWebhook call) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("service", service);
        payload.putAll(call.payload());
        String name = call.hook().name();
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(call.hook().url()).timeout(call.hook().timeout())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(payload)))
                    .build();
        } catch (Exception e) {
            return CompletableFuture.completedFuture(new RolloutEvent.WebhookResult(name,
                    call.attempt(), false, "error: " + e.getMessage()));
        }
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, failure) -> {
                    if (failure == null) {
                        int status = response.statusCode();
                        return new RolloutEvent.WebhookResult(name, call.attempt(),
                                status >= 200 && status < 300, "HTTP " + status);
                    }
                    return new RolloutEvent.WebhookResult(name, call.attempt(), false, describe(failure));
                });
    }

    /**
     * The first value of a PromQL instant query, NaN when Prometheus is not configured, the
     * result is empty or the query fails (the judge makes a missing value inconclusive).
     */
    CompletableFuture<Double> query(String promql) {
        if (prometheus == null) {
            return CompletableFuture.completedFuture(Double.NaN);
        }
        String base = prometheus.toString().replaceAll("/+$", ""); // keep a path prefix (/prometheus)
        URI uri = URI.create(base + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(QUERY_TIMEOUT).GET().build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> failure != null || response.statusCode() != 200
                        ? Double.NaN : firstValue(response.body()));
    }

    static double firstValue(String body) {
        try {
            JsonNode data = JSON.readTree(body).path("data");
            JsonNode value = "scalar".equals(data.path("resultType").asText())
                    ? data.path("result") : data.path("result").path(0).path("value");
            return value.isArray() && value.size() == 2 ? sampleValue(value.get(1).asText()) : Double.NaN;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    /**
     * Prometheus writes sample values as Go formats them: "NaN", "+Inf", "-Inf" and decimals;
     * Java's parser knows "Infinity", not "Inf". An infinite p99 (the quantile in the +Inf bucket)
     * must fail a {@code fail-above} check, not read as "no value".
     */
    private static double sampleValue(String text) {
        return switch (text) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof HttpTimeoutException ? "timeout"
                : "error: " + cause.getClass().getSimpleName();
    }
}
