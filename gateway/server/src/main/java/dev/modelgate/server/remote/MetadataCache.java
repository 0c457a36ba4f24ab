package dev.modelgate.server.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.TensorMetadata;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Model metadata of remote model versions, fetched from a replica
 * ({@code GET /v2/models/{m}[/versions/{v}]}) and kept for a few seconds. Metadata is read on the
 * event loop, so a read never waits: it answers from the cache (a stale entry while a refresh is on
 * its way) and a miss starts a fetch and answers UNAVAILABLE (retry) until it lands.
 */
final class MetadataCache {
    private static final ObjectMapper TREE = new ObjectMapper();

    private record Entry(ModelMetadata metadata, long fetchedAt) {
    }

    private final Function<String, CompletableFuture<ReplicaClient.Answer>> get;
    private final LongSupplier clock;
    private final long ttlNanos;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<?>> fetching = new ConcurrentHashMap<>();

    /** @param get sends a GET of a path to an available replica */
    MetadataCache(Function<String, CompletableFuture<ReplicaClient.Answer>> get, LongSupplier clock,
            long ttlNanos) {
        this.get = get;
        this.clock = clock;
        this.ttlNanos = ttlNanos;
    }

    /** @throws InferenceException UNAVAILABLE until a replica has answered a fetch */
    ModelMetadata metadata(String model, String version) {
        String path = path(model, version);
        Entry entry = entries.get(path);
        if (entry == null || clock.getAsLong() - entry.fetchedAt() > ttlNanos) {
            refresh(path);
        }
        if (entry == null) {
            throw InferenceException.unavailable("metadata of model " + model
                    + (version == null ? "" : " version " + version) + ": being fetched from a"
                    + " replica (expected: an answer shortly; retry)");
        }
        return entry.metadata();
    }

    /** Fetches every known entry again (a replica became available). */
    void refreshAll() {
        entries.keySet().forEach(this::refresh);
    }

    private void refresh(String path) {
        CompletableFuture<Void> started = new CompletableFuture<>();
        if (fetching.putIfAbsent(path, started) != null) {
            return;
        }
        get.apply(path).whenComplete((answer, failure) -> {
            try {
                if (failure == null && answer.status() == 200) {
                    entries.put(path, new Entry(parse(answer.body()), clock.getAsLong()));
                } else if (failure == null && answer.status() == 404) {
                    entries.remove(path);
                }
            } catch (IllegalArgumentException e) {
                // a malformed answer: keep what we had; the next read tries again
            } finally {
                fetching.remove(path);
                started.complete(null);
            }
        });
    }

    private static String path(String model, String version) {
        return "/v2/models/" + encode(model) + (version == null ? "" : "/versions/" + encode(version));
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** @throws IllegalArgumentException for a body that is not OIP model metadata */
    static ModelMetadata parse(byte[] body) {
        try {
            JsonNode root = TREE.readTree(body);
            if (root == null || !root.path("name").isTextual()) {
                throw new IllegalArgumentException("not model metadata (expected: an object with name)");
            }
            List<String> versions = new ArrayList<>();
            root.path("versions").forEach(v -> versions.add(v.asText()));
            return new ModelMetadata(root.get("name").asText(), versions,
                    root.path("platform").asText(""), tensors(root.path("inputs")),
                    tensors(root.path("outputs")));
        } catch (IOException | InferenceException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static List<TensorMetadata> tensors(JsonNode list) {
        List<TensorMetadata> tensors = new ArrayList<>();
        for (JsonNode node : list) {
            JsonNode shape = node.path("shape");
            long[] dims = new long[shape.size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = shape.get(i).asLong();
            }
            tensors.add(new TensorMetadata(node.path("name").asText(),
                    DataType.parse(node.path("datatype").asText(null)), dims));
        }
        return tensors;
    }
}
