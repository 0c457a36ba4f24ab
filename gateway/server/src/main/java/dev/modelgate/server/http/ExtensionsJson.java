package dev.modelgate.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.TensorMetadata;
import dev.modelgate.server.service.ModelDescription;
import dev.modelgate.server.service.ModelStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON forms of Triton's statistics, model configuration and logging extensions, field for
 * field as Triton's REST API writes them (snake_case names, enum names as strings, 64-bit numbers
 * as JSON numbers), so Triton's HTTP client and perf_analyzer parse them unchanged.
 */
final class ExtensionsJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExtensionsJson() {
    }

    static byte[] statistics(List<ModelStatistics> models) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("model_stats");
        for (ModelStatistics m : models) {
            ObjectNode model = list.addObject().put("name", m.name()).put("version", m.version())
                    .put("last_inference", m.lastInferenceMillis())
                    .put("inference_count", m.inferenceCount())
                    .put("execution_count", m.executionCount());
            ObjectNode stats = model.putObject("inference_stats");
            duration(stats, "success", m.success());
            duration(stats, "fail", m.fail());
            duration(stats, "queue", m.queue());
            duration(stats, "compute_input", m.computeInput());
            duration(stats, "compute_infer", m.computeInfer());
            duration(stats, "compute_output", m.computeOutput());
            duration(stats, "cache_hit", ModelStatistics.Duration.NONE);
            duration(stats, "cache_miss", ModelStatistics.Duration.NONE);
            ArrayNode batches = model.putArray("batch_stats");
            for (ModelStatistics.Batch b : m.batches()) {
                ObjectNode batch = batches.addObject().put("batch_size", b.batchSize());
                duration(batch, "compute_input", b.computeInput());
                duration(batch, "compute_infer", b.computeInfer());
                duration(batch, "compute_output", b.computeOutput());
            }
            model.putArray("memory_usage");
        }
        return bytes(root);
    }

    private static void duration(ObjectNode parent, String name, ModelStatistics.Duration d) {
        parent.putObject(name).put("count", d.count()).put("ns", d.ns());
    }

    static byte[] configuration(ModelDescription d) {
        ObjectNode config = JSON.createObjectNode().put("name", d.name())
                .put("platform", d.platform()).put("backend", d.backend())
                .put("max_batch_size", d.maxBatchSize());
        config.putObject("version_policy").putObject("latest").put("num_versions", 1);
        ArrayNode inputs = config.putArray("input");
        for (TensorMetadata t : d.inputs()) {
            tensor(inputs.addObject(), t).put("format", "FORMAT_NONE")
                    .put("is_shape_tensor", false).put("allow_ragged_batch", false)
                    .put("optional", false);
        }
        ArrayNode outputs = config.putArray("output");
        for (TensorMetadata t : d.outputs()) {
            tensor(outputs.addObject(), t).put("label_filename", d.labelsFile())
                    .put("is_shape_tensor", false);
        }
        d.batching().ifPresent(b -> {
            ObjectNode batching = config.putObject("dynamic_batching");
            ArrayNode preferred = batching.putArray("preferred_batch_size");
            b.preferredBatchSizes().forEach(preferred::add);
            batching.put("max_queue_delay_microseconds", b.maxQueueDelayMicros())
                    .put("preserve_ordering", false);
        });
        config.putArray("instance_group").addObject().put("name", d.name())
                .put("kind", d.gpu() ? "KIND_GPU" : "KIND_CPU").put("count", d.instanceCount());
        return bytes(config);
    }

    private static ObjectNode tensor(ObjectNode node, TensorMetadata t) {
        node.put("name", t.name()).put("data_type", tritonType(t.datatype()));
        ArrayNode dims = node.putArray("dims");
        for (long dim : t.shape()) {
            dims.add(dim);
        }
        return node;
    }

    /** Triton's {@code TYPE_*} name of an OIP datatype ({@code BYTES} is {@code TYPE_STRING}). */
    static String tritonType(DataType type) {
        return type == DataType.BYTES ? "TYPE_STRING" : "TYPE_" + type.name();
    }

    static byte[] logSettings(Map<String, Object> settings) {
        ObjectNode root = JSON.createObjectNode();
        settings.forEach((key, value) -> root.set(key, JSON.valueToTree(value)));
        return bytes(root);
    }

    /**
     * A log settings body: an object of Triton keys to booleans, unsigned integers or strings.
     *
     * @throws InferenceException INVALID_ARGUMENT for a body that is not such an object
     */
    static Map<String, Object> readLogSettings(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw InferenceException.invalid("log settings: malformed JSON (expected: an object"
                    + " of settings)");
        }
        if (root == null || !root.isObject()) {
            throw InferenceException.invalid("log settings: " + (root == null ? "empty body"
                    : root.getNodeType().toString().toLowerCase(java.util.Locale.ROOT))
                    + " (expected: an object of settings)");
        }
        Map<String, Object> changes = new LinkedHashMap<>();
        root.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            changes.put(field.getKey(), value.isBoolean() ? (Object) value.booleanValue()
                    : value.isIntegralNumber() && value.canConvertToLong() ? (Object) value.longValue()
                    : value.isTextual() ? value.textValue() : value.toString());
        });
        return changes;
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
