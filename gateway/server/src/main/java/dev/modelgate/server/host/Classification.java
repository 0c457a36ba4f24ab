package dev.modelgate.server.host;

import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.RequestedOutput;
import dev.modelgate.api.Tensor;
import dev.modelgate.api.TensorMetadata;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Triton's classification extension: a requested output with the parameter
 * {@code classification: N} is answered with its top N classes instead of its values, as BYTES
 * elements {@code "<value>:<index>[:<label>]"} in descending order of value (ties by index). It
 * runs in the host, after the engine call, so every runtime and transport gets it and the
 * runtimes stay unaware of it.
 *
 * <p>An output whose declared first dimension is dynamic ({@code -1}) is a batch: each row is
 * classified on its own and the answer has shape {@code [rows, N]}; any other output is one
 * classification over all its elements, shape {@code [N]}. N larger than the classes is cut to
 * the classes, as Triton does. Values print as C's {@code %f} for floats and as integers
 * otherwise, matching Triton's text.
 */
final class Classification {
    static final String PARAMETER = "classification";

    private Classification() {
    }

    /** Whether any requested output asks for classes. */
    static boolean requested(InferenceRequest request) {
        for (RequestedOutput output : request.outputs()) {
            if (output.parameters().containsKey(PARAMETER)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks every classification parameter before the request runs.
     *
     * @throws InferenceException INVALID_ARGUMENT for a count that is not a positive integer or an
     *     output whose datatype cannot be ranked
     */
    static void check(ModelMetadata model, InferenceRequest request) {
        for (RequestedOutput output : request.outputs()) {
            if (output.parameters().containsKey(PARAMETER)) {
                count(output);
                model.output(output.name()).ifPresent(Classification::rankable);
            }
        }
    }

    /** The response with every output that asked for classes replaced by its top classes. */
    static InferenceResponse apply(InferenceRequest request, InferenceResponse response,
            ModelMetadata model, List<String> labels) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (RequestedOutput output : request.outputs()) {
            if (output.parameters().containsKey(PARAMETER)) {
                counts.put(output.name(), count(output));
            }
        }
        List<Tensor> outputs = new ArrayList<>(response.outputs().size());
        for (Tensor tensor : response.outputs()) {
            Integer count = counts.get(tensor.name());
            boolean batched = model.output(tensor.name())
                    .map(m -> m.shape().length > 1 && m.shape()[0] == -1).orElse(false);
            outputs.add(count == null ? tensor : classify(tensor, count, batched, labels));
        }
        return new InferenceResponse(response.modelName(), response.modelVersion(), response.id(),
                response.parameters(), outputs);
    }

    static Tensor classify(Tensor tensor, int count, boolean batched, List<String> labels) {
        rankable(new TensorMetadata(tensor.name(), tensor.datatype(), tensor.shape()));
        int elements = tensor.elementCount();
        int rows = batched && tensor.rank() > 1 ? (int) tensor.dim(0) : 1;
        int classes = rows == 0 ? 0 : elements / rows;
        int top = Math.min(count, classes);
        byte[][] answer = new byte[rows * top][];
        for (int row = 0; row < rows; row++) {
            List<Integer> order = new ArrayList<>(classes);
            for (int i = 0; i < classes; i++) {
                order.add(i);
            }
            int base = row * classes;
            order.sort(Comparator.comparingDouble((Integer i) -> -value(tensor, base + i))
                    .thenComparingInt(i -> i));
            for (int k = 0; k < top; k++) {
                int index = order.get(k);
                String text = format(tensor, base + index) + ":" + index
                        + (index < labels.size() ? ":" + labels.get(index) : "");
                answer[row * top + k] = text.getBytes(StandardCharsets.UTF_8);
            }
        }
        long[] shape = batched && tensor.rank() > 1 ? new long[] {rows, top} : new long[] {top};
        return Tensor.of(tensor.name(), DataType.BYTES, shape, answer, tensor.parameters());
    }

    private static int count(RequestedOutput output) {
        Object value = output.parameters().get(PARAMETER);
        if (!(value instanceof Long n) || n < 1 || n > Integer.MAX_VALUE) {
            throw InferenceException.invalid("output " + output.name() + " parameters."
                    + PARAMETER + ": " + value + " (expected: a positive integer, the number of"
                    + " classes to answer)");
        }
        return n.intValue();
    }

    private static void rankable(TensorMetadata output) {
        DataType type = output.datatype();
        if (type == DataType.BYTES || type == DataType.BOOL || type == DataType.FP16) {
            throw InferenceException.invalid("output " + output.name() + " parameters."
                    + PARAMETER + ": on a " + type + " output (expected: an output of numbers,"
                    + " FP32, FP64, BF16 or an integer type)");
        }
    }

    private static double value(Tensor tensor, int i) {
        Object data = tensor.data();
        return switch (tensor.datatype()) {
            case FP32 -> ((float[]) data)[i];
            case FP64 -> ((double[]) data)[i];
            case BF16 -> Float.intBitsToFloat((((short[]) data)[i] & 0xFFFF) << 16);
            case UINT8 -> ((byte[]) data)[i] & 0xFF;
            case UINT16 -> ((short[]) data)[i] & 0xFFFF;
            case UINT32 -> Integer.toUnsignedLong(((int[]) data)[i]);
            case UINT64 -> unsigned(((long[]) data)[i]);
            default -> ((Number) Array.get(data, i)).doubleValue();
        };
    }

    private static double unsigned(long bits) {
        double value = (double) (bits >>> 1) * 2.0;
        return value + (bits & 1);
    }

    private static String format(Tensor tensor, int i) {
        return switch (tensor.datatype()) {
            case FP32, FP64, BF16 -> String.format(Locale.ROOT, "%f", value(tensor, i));
            case UINT64 -> Long.toUnsignedString(((long[]) tensor.data())[i]);
            default -> Long.toString((long) value(tensor, i));
        };
    }
}
