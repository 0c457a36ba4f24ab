package dev.modelgate.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.modelgate.api.InferenceException;
import dev.modelgate.server.json.JsonLimits;
import dev.modelgate.server.service.SharedMemory;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Triton's system shared memory extension over REST, in Triton's paths and JSON. Registering maps
 * a file, so every call runs on the codec executor, not the event loop. When the extension is off
 * the routes are not there (404), and the server metadata does not list it.
 */
final class SharedMemoryRestService {
    private static final ObjectMapper JSON = JsonLimits.jsonMapper();

    private final SharedMemory shm;
    private final Executor codec;

    SharedMemoryRestService(SharedMemory shm, Executor codec) {
        this.shm = shm;
        this.codec = codec;
    }

    RouteTable.Builder<RestEndpoint> routes(RouteTable.Builder<RestEndpoint> routes) {
        return routes.get("/v2/systemsharedmemory/status", this::status)
                .get("/v2/systemsharedmemory/region/{region}/status", this::status)
                .post("/v2/systemsharedmemory/region/{region}/register", this::register)
                .post("/v2/systemsharedmemory/unregister", this::unregister)
                .post("/v2/systemsharedmemory/region/{region}/unregister", this::unregister);
    }

    private CompletableFuture<RestResponse> status(RestRequest request) {
        Optional<String> name = Optional.ofNullable(request.params().get("region"));
        return async(() -> statusJson(shm.status(name)));
    }

    private CompletableFuture<RestResponse> register(RestRequest request) {
        String name = request.params().get("region");
        byte[] body = request.body();
        return async(() -> {
            shm.register(region(name, body));
            return new byte[0];
        });
    }

    private CompletableFuture<RestResponse> unregister(RestRequest request) {
        Optional<String> name = Optional.ofNullable(request.params().get("region"));
        return async(() -> {
            shm.unregister(name);
            return new byte[0];
        });
    }

    private CompletableFuture<RestResponse> async(Supplier<byte[]> call) {
        return CompletableFuture.supplyAsync(() -> RestResponse.json(200, call.get()), codec);
    }

    /** Triton's register body: {@code {"key": "/name", "offset": 0, "byte_size": N}}. */
    static SharedMemory.Region region(String name, byte[] body) {
        JsonNode root;
        try {
            root = body.length == 0 ? null : JSON.readTree(body);
        } catch (java.io.IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            throw InferenceException.invalid("register body: not a JSON object (expected:"
                    + " {\"key\": \"/name\", \"offset\": 0, \"byte_size\": N})");
        }
        JsonNode key = root.get("key");
        if (key == null || !key.isTextual()) {
            throw InferenceException.invalid("key: " + key + " (expected: a string)");
        }
        return new SharedMemory.Region(name, key.textValue(), number(root, "offset", true),
                number(root, "byte_size", false));
    }

    private static long number(JsonNode root, String field, boolean optional) {
        JsonNode value = root.get(field);
        if (value == null && optional) {
            return 0;
        }
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()
                || value.longValue() < 0) {
            throw InferenceException.invalid(field + ": " + value
                    + " (expected: a non-negative integer)");
        }
        return value.longValue();
    }

    static byte[] statusJson(List<SharedMemory.Region> regions) {
        ArrayNode out = JSON.createArrayNode();
        for (SharedMemory.Region region : regions) {
            out.addObject().put("name", region.name()).put("key", region.key())
                    .put("offset", region.offset()).put("byte_size", region.byteSize());
        }
        try {
            return JSON.writeValueAsBytes(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
