package dev.modelgate.server.remote;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.RequestedOutput;
import dev.modelgate.api.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OIP JSON a replica speaks: requests re-encoded from the decoded records, responses read back
 * into records. A first version: the REST path has decoded the client's body by the time a revision
 * is chosen, so the body is encoded again rather than forwarded as received (which would need the
 * raw bytes to travel through the service seam). Half-precision tensors have no JSON form and are
 * refused.
 */
final class RemoteJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper TREE = new ObjectMapper();

    private RemoteJson() {
    }

    static byte[] request(InferenceRequest request) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator out = FACTORY.createGenerator(bytes)) {
            out.writeStartObject();
            if (request.id() != null) {
                out.writeStringField("id", request.id());
            }
            parameters(out, request.parameters());
            out.writeArrayFieldStart("inputs");
            for (Tensor input : request.inputs()) {
                tensor(out, input);
            }
            out.writeEndArray();
            if (!request.outputs().isEmpty()) {
                out.writeArrayFieldStart("outputs");
                for (RequestedOutput output : request.outputs()) {
                    out.writeStartObject();
                    out.writeStringField("name", output.name());
                    parameters(out, output.parameters());
                    out.writeEndObject();
                }
                out.writeEndArray();
            }
            out.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static void parameters(JsonGenerator out, Map<String, Object> parameters)
            throws IOException {
        if (parameters.isEmpty()) {
            return;
        }
        out.writeObjectFieldStart("parameters");
        for (Map.Entry<String, Object> entry : parameters.entrySet()) {
            out.writeFieldName(entry.getKey());
            Object value = entry.getValue();
            if (value instanceof String s) {
                out.writeString(s);
            } else if (value instanceof Boolean b) {
                out.writeBoolean(b);
            } else if (value instanceof Long l) {
                out.writeNumber(l);
            } else {
                out.writeNumber((Double) value);
            }
        }
        out.writeEndObject();
    }

    private static void tensor(JsonGenerator out, Tensor tensor) throws IOException {
        if (tensor.datatype().isHalfPrecision()) {
            throw InferenceException.invalid("tensor " + tensor.name() + ": " + tensor.datatype()
                    + " (expected: a datatype with a JSON form to send to a remote replica)");
        }
        out.writeStartObject();
        out.writeStringField("name", tensor.name());
        out.writeArrayFieldStart("shape");
        for (long dim : tensor.shape()) {
            out.writeNumber(dim);
        }
        out.writeEndArray();
        out.writeStringField("datatype", tensor.datatype().name());
        parameters(out, tensor.parameters());
        out.writeArrayFieldStart("data");
        Object data = tensor.data();
        int n = tensor.elementCount();
        for (int i = 0; i < n; i++) {
            switch (tensor.datatype()) {
                case BOOL -> out.writeBoolean(((boolean[]) data)[i]);
                case UINT8 -> out.writeNumber(Byte.toUnsignedInt(((byte[]) data)[i]));
                case INT8 -> out.writeNumber(((byte[]) data)[i]);
                case UINT16 -> out.writeNumber(Short.toUnsignedInt(((short[]) data)[i]));
                case INT16 -> out.writeNumber(((short[]) data)[i]);
                case UINT32 -> out.writeNumber(Integer.toUnsignedLong(((int[]) data)[i]));
                case INT32 -> out.writeNumber(((int[]) data)[i]);
                case UINT64 -> out.writeNumber(new java.math.BigInteger(Long.toUnsignedString(((long[]) data)[i])));
                case INT64 -> out.writeNumber(((long[]) data)[i]);
                case FP32 -> out.writeNumber(((float[]) data)[i]);
                case FP64 -> out.writeNumber(((double[]) data)[i]);
                case BYTES -> out.writeString(new String(((byte[][]) data)[i], StandardCharsets.UTF_8));
                default -> throw new IllegalStateException(tensor.datatype().name());
            }
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    /**
     * @throws IllegalArgumentException describing what is wrong with a malformed body
     */
    static InferenceResponse response(byte[] body) {
        JsonNode root;
        try {
            root = TREE.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON");
        }
        if (root == null || !root.isObject() || !root.path("model_name").isTextual()
                || !root.path("outputs").isArray()) {
            throw new IllegalArgumentException("not an inference response (expected: an object with"
                    + " model_name and outputs)");
        }
        List<Tensor> outputs = new ArrayList<>();
        for (JsonNode output : root.get("outputs")) {
            outputs.add(output(output));
        }
        String version = root.path("model_version").isTextual() ? root.get("model_version").asText() : null;
        String id = root.path("id").isTextual() ? root.get("id").asText() : null;
        return new InferenceResponse(root.get("model_name").asText(), version, id,
                parameters(root.get("parameters")), outputs);
    }

    private static Tensor output(JsonNode node) {
        String name = node.path("name").asText(null);
        DataType type;
        try {
            type = DataType.parse(node.path("datatype").asText(null));
        } catch (InferenceException e) {
            throw new IllegalArgumentException("output " + name + ": " + e.getMessage());
        }
        JsonNode shapeNode = node.get("shape");
        if (name == null || shapeNode == null || !shapeNode.isArray() || !node.has("data")) {
            throw new IllegalArgumentException("output " + name + ": missing name, shape or data");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong(-1);
        }
        List<JsonNode> flat = new ArrayList<>();
        flatten(node.get("data"), flat);
        Object data = Array.newInstance(type.arrayType().getComponentType(), flat.size());
        for (int i = 0; i < flat.size(); i++) {
            JsonNode v = flat.get(i);
            switch (type) {
                case BOOL -> ((boolean[]) data)[i] = v.asBoolean();
                case UINT8, INT8 -> ((byte[]) data)[i] = (byte) v.asInt();
                case UINT16, INT16 -> ((short[]) data)[i] = (short) v.asInt();
                case UINT32, INT32 -> ((int[]) data)[i] = (int) v.asLong();
                case UINT64, INT64 -> ((long[]) data)[i] = v.bigIntegerValue().longValue();
                case FP32 -> ((float[]) data)[i] = (float) v.asDouble();
                case FP64 -> ((double[]) data)[i] = v.asDouble();
                case BYTES -> ((byte[][]) data)[i] = v.asText().getBytes(StandardCharsets.UTF_8);
                default -> throw new IllegalArgumentException("output " + name + ": " + type
                        + " has no JSON form");
            }
        }
        try {
            return Tensor.of(name, type, shape, data, parameters(node.get("parameters")));
        } catch (InferenceException e) {
            throw new IllegalArgumentException("output " + name + ": " + e.getMessage());
        }
    }

    private static void flatten(JsonNode node, List<JsonNode> into) {
        if (node.isArray()) {
            node.forEach(child -> flatten(child, into));
        } else if (node.isValueNode()) {
            into.add(node);
        } else {
            throw new IllegalArgumentException("data: " + node + " (expected: numbers, booleans or strings)");
        }
    }

    private static Map<String, Object> parameters(JsonNode node) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> {
                JsonNode v = e.getValue();
                if (v.isTextual()) {
                    parameters.put(e.getKey(), v.asText());
                } else if (v.isBoolean()) {
                    parameters.put(e.getKey(), v.asBoolean());
                } else if (v.isIntegralNumber()) {
                    parameters.put(e.getKey(), v.asLong());
                } else if (v.isNumber()) {
                    parameters.put(e.getKey(), v.asDouble());
                }
            });
        }
        return parameters;
    }

    /** The {@code error} of an OIP error body, or a short excerpt of whatever it was. */
    static String error(byte[] body) {
        try {
            JsonNode root = TREE.readTree(body);
            if (root != null && root.path("error").isTextual()) {
                return root.get("error").asText();
            }
        } catch (IOException e) {
            // not JSON: fall through to the excerpt
        }
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
