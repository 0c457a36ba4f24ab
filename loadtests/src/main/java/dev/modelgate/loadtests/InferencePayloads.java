package dev.modelgate.loadtests;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.TensorMetadata;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Builds the request a run sends: an {@code $inference_request} taken from a file or generated to
 * match the model's metadata, encoded as plain JSON or with the binary tensor extension (a JSON
 * header whose inputs carry {@code binary_data_size} instead of {@code data}, followed by each
 * input's raw little-endian bytes in order, its length in {@code Inference-Header-Content-Length}).
 * The same raw inputs feed the gRPC request ({@link GrpcPayloads}).
 */
final class InferencePayloads {
    private static final ObjectMapper JSON = new ObjectMapper();

    private InferencePayloads() {
    }

    /** The request in {@code json} (a whole {@code $inference_request} body), sent as is or binary. */
    static RequestPayload fromJson(String model, byte[] json, boolean binary) {
        ObjectNode request = parse(json);
        return binary ? binary(model, request) : plain(model, json, request.withArray("inputs").size());
    }

    /**
     * A request matching {@code metadata}: every -1 dimension becomes {@code batch}, data is random
     * for its datatype from {@code seed} (integers in [0, 100), floats in [0, 1), 8-letter strings).
     */
    static RequestPayload generated(String model, ModelMetadata metadata, int batch, long seed, boolean binary) {
        ObjectNode request = generatedRequest(model, metadata, batch, seed, binary);
        return binary ? binary(model, request) : plain(model, bytes(request), request.withArray("inputs").size());
    }

    /** {@code json} as an {@code $inference_request} with at least one input. */
    static ObjectNode parse(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new LoadTestException.Usage("input: not JSON (" + e.getOriginalMessage() + ")");
        } catch (java.io.IOException e) {
            throw new LoadTestException.Usage("input: unreadable (" + e.getMessage() + ")");
        }
        if (!(root instanceof ObjectNode request) || !(request.get("inputs") instanceof ArrayNode inputs)
                || inputs.isEmpty()) {
            throw new LoadTestException.Usage("input: no \"inputs\" (expected: an $inference_request object)");
        }
        return request;
    }

    /**
     * The {@code $inference_request} that {@link #generated} sends, with data in JSON.
     *
     * @param raw whether the data will travel as raw bytes (which alone can carry FP16 and BF16)
     */
    static ObjectNode generatedRequest(String model, ModelMetadata metadata, int batch, long seed, boolean raw) {
        if (metadata.inputs().isEmpty()) {
            throw new LoadTestException("model " + model + ": metadata lists no inputs (expected: at least one; "
                    + "use --input FILE)");
        }
        SplittableRandom random = new SplittableRandom(seed);
        ObjectNode request = JSON.createObjectNode();
        ArrayNode inputs = request.putArray("inputs");
        for (TensorMetadata tensor : metadata.inputs()) {
            ObjectNode input = inputs.addObject();
            input.put("name", tensor.name());
            ArrayNode shape = input.putArray("shape");
            long count = 1;
            for (long dim : tensor.shape()) {
                long size = dim < 0 ? batch : dim;
                shape.add(size);
                count = Math.multiplyExact(count, size);
            }
            input.put("datatype", tensor.datatype().name());
            if (!raw && tensor.datatype().isHalfPrecision()) {
                throw new LoadTestException.Usage("input " + tensor.name() + ": " + tensor.datatype()
                        + " (expected: --binary, JSON cannot carry 16-bit floats)");
            }
            ArrayNode data = input.putArray("data");
            for (long i = 0; i < count; i++) {
                addRandom(data, tensor.datatype(), random);
            }
        }
        return request;
    }

    private static void addRandom(ArrayNode data, DataType type, SplittableRandom random) {
        switch (type) {
            case BOOL -> data.add(random.nextBoolean());
            case FP16, BF16, FP32 -> data.add(random.nextFloat());
            case FP64 -> data.add(random.nextDouble());
            case BYTES -> {
                StringBuilder s = new StringBuilder();
                for (int i = 0; i < 8; i++) {
                    s.append((char) ('a' + random.nextInt(26)));
                }
                data.add(s.toString());
            }
            default -> data.add(random.nextInt(100));
        }
    }

    private static RequestPayload plain(String model, byte[] json, int inputs) {
        return new RequestPayload(path(model), "application/json", json, -1,
                "json, " + inputsText(inputs) + ", " + json.length + " bytes");
    }

    private static RequestPayload binary(String model, ObjectNode request) {
        ObjectNode header = request.deepCopy();
        List<RawInput> raw = rawInputs(header);
        ArrayNode inputs = header.withArray("inputs");
        ByteArrayOutputStream tensors = new ByteArrayOutputStream();
        for (int i = 0; i < raw.size(); i++) {
            ObjectNode input = (ObjectNode) inputs.get(i);
            tensors.writeBytes(raw.get(i).bytes());
            input.remove("data");
            input.withObject("parameters").put("binary_data_size", raw.get(i).bytes().length);
        }
        byte[] json = bytes(header);
        ByteArrayOutputStream body = new ByteArrayOutputStream(json.length + tensors.size());
        body.writeBytes(json);
        body.writeBytes(tensors.toByteArray());
        return new RequestPayload(path(model), "application/octet-stream", body.toByteArray(), json.length,
                "binary, " + inputsText(raw.size()) + ", " + json.length + " + " + tensors.size() + " bytes");
    }

    /** One input of a request with its data as raw little-endian bytes, as the binary extension and gRPC carry it. */
    record RawInput(String name, DataType datatype, long[] shape, byte[] bytes) {
    }

    /** The inputs of {@code request}, in order, each with its data encoded by {@link TensorBytes}. */
    static List<RawInput> rawInputs(ObjectNode request) {
        List<RawInput> raw = new ArrayList<>();
        for (JsonNode input : request.withArray("inputs")) {
            String name = input.path("name").asText("?");
            DataType type;
            try {
                type = DataType.parse(input.path("datatype").asText(null));
            } catch (InferenceException e) {
                throw new LoadTestException.Usage("input " + name + ": " + e.getMessage());
            }
            long[] shape = shape(name, input.get("shape"));
            long expected = 1;
            for (long dim : shape) {
                expected = Math.multiplyExact(expected, dim);
            }
            List<JsonNode> elements = new ArrayList<>();
            flatten(input.get("data"), elements);
            if (elements.size() != expected) {
                throw new LoadTestException.Usage("input " + name + ": " + elements.size()
                        + " data elements (expected: " + expected + " for its shape)");
            }
            raw.add(new RawInput(name, type, shape, TensorBytes.encode(name, type, elements)));
        }
        return raw;
    }

    static String inputsText(int inputs) {
        return inputs + " input" + (inputs == 1 ? "" : "s");
    }

    private static long[] shape(String name, JsonNode shape) {
        if (!(shape instanceof ArrayNode dims)) {
            throw new LoadTestException.Usage("input " + name + ": no shape (expected: an array of sizes)");
        }
        long[] sizes = new long[dims.size()];
        for (int i = 0; i < sizes.length; i++) {
            JsonNode dim = dims.get(i);
            if (!dim.canConvertToLong() || dim.asLong() < 0) {
                throw new LoadTestException.Usage("input " + name + ": shape " + shape
                        + " (expected: sizes >= 0)");
            }
            sizes[i] = dim.asLong();
        }
        return sizes;
    }

    private static void flatten(JsonNode node, List<JsonNode> into) {
        if (node == null) {
            return;
        }
        if (node.isArray()) {
            node.forEach(child -> flatten(child, into));
        } else {
            into.add(node);
        }
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String path(String model) {
        return "/v2/models/" + model + "/infer";
    }

    static String text(RequestPayload payload) {
        return new String(payload.bodyUnsafe(), StandardCharsets.UTF_8);
    }
}
