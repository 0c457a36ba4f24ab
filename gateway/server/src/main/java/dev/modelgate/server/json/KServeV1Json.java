package dev.modelgate.server.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.TensorMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * KServe V1 (TensorFlow Serving style) bodies as the OIP records, so V1 rides the same inference
 * path: {@code {"instances": [...]}} (row format) or {@code {"inputs": [...]}} (columnar; with a
 * single input the same rows) become one input tensor named after the model's single input, shape
 * {@code [rows, ...instance shape]}; the response's outputs become {@code {"predictions": [...]}},
 * one entry per row: the row itself for a single output, an object of output name to row for
 * several. The V1 request goes through the V2 reader, so its checks and messages are the same.
 * V1 is for small legacy payloads; the tree it builds is fine there.
 */
public final class KServeV1Json {
    private static final ObjectMapper MAPPER = JsonLimits.jsonMapper();
    // Request numbers stay exact text (BigDecimal, trailing zeros kept): a double tree would turn
    // 1e999 into an infinity, written back as the string "Infinity", and the V2 reader could then
    // no longer say which number was out of range; 1.0 would also pass as an INT after stripping.
    private static final ObjectReader REQUEST_READER = MAPPER.reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);

    private KServeV1Json() {
    }

    /** The request for a model whose only input is {@code input}. */
    public static InferenceRequest request(byte[] body, TensorMetadata input) {
        JsonNode root = parse(body);
        JsonNode rows = rows(root);
        List<Long> shape = new ArrayList<>();
        shape.add((long) rows.size());
        JsonNode first = rows.get(0);
        while (first.isArray()) {
            shape.add((long) first.size());
            first = first.size() == 0 ? MAPPER.nullNode() : first.get(0);
        }
        if (first.isObject()) {
            throw InferenceException.invalid("instances[0]: {...} (expected: arrays or values;"
                    + " named instances need a model with named inputs, use /v2)");
        }
        ObjectNode v2 = MAPPER.createObjectNode();
        ObjectNode tensor = v2.putArray("inputs").addObject();
        tensor.put("name", input.name()).put("datatype", input.datatype().name());
        ArrayNode dims = tensor.putArray("shape");
        shape.forEach(dims::add);
        tensor.set("data", rows);
        try {
            return OipJson.readInferenceRequest(MAPPER.writeValueAsBytes(v2));
        } catch (InferenceException e) {
            throw InferenceException.invalid("instances: " + e.getMessage());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode root = REQUEST_READER.readTree(body);
            if (root == null || !root.isObject()) {
                throw InferenceException.invalid("body: " + (root == null ? "empty" : root.getNodeType())
                        + " (expected: {\"instances\": [...]} or {\"inputs\": [...]})");
            }
            return root;
        } catch (IOException e) {
            InferenceException refused = JsonLimits.refusal(e, "body");
            throw refused != null ? refused
                    : InferenceException.invalid("body: malformed JSON (expected: valid JSON)");
        } catch (NumberFormatException e) {
            // An exponent past BigDecimal's range (found by fuzzing, KServeV1FuzzTest).
            throw InferenceException.invalid("body: a number out of range (expected: numbers a tensor"
                    + " can hold)");
        }
    }

    private static JsonNode rows(JsonNode root) {
        JsonNode instances = root.get("instances");
        JsonNode inputs = root.get("inputs");
        if ((instances == null) == (inputs == null)) {
            throw InferenceException.invalid("body: " + (instances == null ? "neither" : "both")
                    + " instances and inputs (expected: exactly one of them)");
        }
        JsonNode rows = instances != null ? instances : inputs;
        String field = instances != null ? "instances" : "inputs";
        if (!rows.isArray() || rows.isEmpty()) {
            throw InferenceException.invalid(field + ": " + rows.getNodeType()
                    + (rows.isArray() ? " []" : "") + " (expected: a non-empty array of rows)");
        }
        return rows;
    }

    /** {@code {"predictions": [...]}}, rows split along each output's first dimension. */
    public static byte[] predictions(InferenceResponse response) {
        try {
            JsonNode v2 = MAPPER.readTree(OipJson.inferenceResponse(response));
            List<String> names = new ArrayList<>();
            List<List<JsonNode>> rows = new ArrayList<>();
            for (JsonNode output : v2.get("outputs")) {
                names.add(output.get("name").asText());
                rows.add(rowsOf(output));
            }
            ObjectNode out = MAPPER.createObjectNode();
            ArrayNode predictions = out.putArray("predictions");
            int count = rows.isEmpty() ? 0 : rows.get(0).size();
            for (int r = 0; r < count; r++) {
                if (names.size() == 1) {
                    predictions.add(rows.get(0).get(r));
                } else {
                    ObjectNode row = predictions.addObject();
                    for (int o = 0; o < names.size(); o++) {
                        row.set(names.get(o), r < rows.get(o).size() ? rows.get(o).get(r) : null);
                    }
                }
            }
            return MAPPER.writeValueAsBytes(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A flat OIP output nested by its shape, as a list of rows (a scalar output is one row). */
    private static List<JsonNode> rowsOf(JsonNode output) {
        List<Long> shape = new ArrayList<>();
        output.get("shape").forEach(d -> shape.add(d.asLong()));
        Iterator<JsonNode> flat = output.get("data").iterator();
        if (shape.isEmpty()) {
            return List.of(flat.next());
        }
        List<JsonNode> rows = new ArrayList<>();
        for (long r = 0; r < shape.get(0); r++) {
            rows.add(nest(flat, shape, 1));
        }
        return rows;
    }

    private static JsonNode nest(Iterator<JsonNode> flat, List<Long> shape, int dim) {
        if (dim == shape.size()) {
            return flat.next();
        }
        ArrayNode array = MAPPER.createArrayNode();
        for (long i = 0; i < shape.get(dim); i++) {
            array.add(nest(flat, shape, dim + 1));
        }
        return array;
    }
}
