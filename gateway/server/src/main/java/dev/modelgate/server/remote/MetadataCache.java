package dev.modelgate.server.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.TensorMetadata;
import dev.modelgate.server.json.JsonLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;

/**
 * Model metadata of remote model versions, fetched from a replica (REST
 * {@code GET /v2/models/{m}[/versions/{v}]} or gRPC {@code ModelMetadata}) and kept for a few
 * seconds. Metadata is read on the
 * event loop, so a read never waits: it answers from the cache (a stale entry while a refresh is on
 * its way) and a miss starts a fetch and answers UNAVAILABLE (retry) until it lands.
 */
final class MetadataCache {
    private static final ObjectMapper TREE = JsonLimits.jsonMapper();

    private record Entry(ModelMetadata metadata, long fetchedAt) {
    }

    private record Key(String model, String version) {
    }

    private final BiFunction<String, String, CompletableFuture<ModelMetadata>> fetch;
    private final LongSupplier clock;
    private final long ttlNanos;
    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    private final Map<Key, CompletableFuture<?>> fetching = new ConcurrentHashMap<>();

    /**
     * @param fetch asks an available replica for a model version's metadata (version may be
     *     {@code null}); completes {@code null} when the replica does not know it
     */
    MetadataCache(BiFunction<String, String, CompletableFuture<ModelMetadata>> fetch,
            LongSupplier clock, long ttlNanos) {
        this.fetch = fetch;
        this.clock = clock;
        this.ttlNanos = ttlNanos;
    }

    /** @throws InferenceException UNAVAILABLE until a replica has answered a fetch */
    ModelMetadata metadata(String model, String version) {
        Key key = new Key(model, version);
        Entry entry = entries.get(key);
        if (entry == null || clock.getAsLong() - entry.fetchedAt() > ttlNanos) {
            refresh(key);
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

    private void refresh(Key key) {
        CompletableFuture<Void> started = new CompletableFuture<>();
        if (fetching.putIfAbsent(key, started) != null) {
            return;
        }
        CompletableFuture<ModelMetadata> fetched;
        try {
            fetched = fetch.apply(key.model(), key.version());
        } catch (RuntimeException e) {
            fetched = CompletableFuture.failedFuture(e);
        }
        // A failure (malformed answer, no replica) keeps what we had; the next read tries again.
        fetched.whenComplete((metadata, failure) -> {
            if (failure == null && metadata != null) {
                entries.put(key, new Entry(metadata, clock.getAsLong()));
            } else if (failure == null) {
                entries.remove(key);
            }
            fetching.remove(key);
            started.complete(null);
        });
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
