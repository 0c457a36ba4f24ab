package dev.modelgate.api.spi;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.Tensor;
import dev.modelgate.api.TensorMetadata;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Stacks several requests' inputs along the first (batch) dimension and cuts outputs back apart, so
 * a runtime can serve a batch with one engine call, which is where batching earns its throughput.
 * JDK-only, shared by every runtime that batches.
 *
 * <p>It assumes, as dynamic batching in every serving system does, that a model whose first
 * dimension is dynamic on every input and output treats rows independently. Requests stack only
 * when each has one row count shared by all its inputs and the same datatypes and non-batch
 * dimensions as the others; outputs split only when their first dimension is the total row count.
 * Callers run anything else request by request.
 */
public final class TensorStacking {
    private TensorStacking() {
    }

    /** Whether every declared input and output has a dynamic first dimension. */
    public static boolean batchable(ModelMetadata metadata) {
        return dynamicFirst(metadata.inputs()) && dynamicFirst(metadata.outputs());
    }

    /**
     * The row count of each request, or {@code null} when the requests cannot be stacked.
     */
    public static int[] rows(ModelMetadata metadata, List<InferenceRequest> requests) {
        int[] rows = new int[requests.size()];
        InferenceRequest first = requests.get(0);
        for (int r = 0; r < requests.size(); r++) {
            InferenceRequest request = requests.get(r);
            rows[r] = -1;
            for (TensorMetadata declared : metadata.inputs()) {
                Tensor input = request.input(declared.name()).orElse(null);
                Tensor model = first.input(declared.name()).orElse(null);
                if (input == null || model == null || input.rank() == 0 || input.datatype() != model.datatype()
                        || !sameTrailingDims(input.shape(), model.shape())
                        || (rows[r] != -1 && rows[r] != input.dim(0))) {
                    return null;
                }
                rows[r] = (int) input.dim(0);
            }
        }
        return rows;
    }

    /** Each declared input, the requests' tensors concatenated along the first dimension. */
    public static List<Tensor> concatenate(ModelMetadata metadata, List<InferenceRequest> requests, int[] rows) {
        int total = Arrays.stream(rows).sum();
        List<Tensor> stacked = new ArrayList<>(metadata.inputs().size());
        for (TensorMetadata declared : metadata.inputs()) {
            Tensor first = requests.get(0).input(declared.name()).orElseThrow();
            long[] shape = first.shape();
            shape[0] = total;
            int perRow = perRow(shape);
            Object data = Array.newInstance(first.datatype().arrayType().getComponentType(), total * perRow);
            int at = 0;
            for (InferenceRequest request : requests) {
                Tensor part = request.input(declared.name()).orElseThrow();
                System.arraycopy(part.data(), 0, data, at, part.elementCount());
                at += part.elementCount();
            }
            stacked.add(Tensor.of(declared.name(), first.datatype(), shape, data));
        }
        return stacked;
    }

    /**
     * The output cut into one tensor per request, or {@code null} when its first dimension is not
     * the total row count (the model did not treat rows independently).
     */
    public static List<Tensor> split(Tensor output, int[] rows) {
        int total = Arrays.stream(rows).sum();
        if (output.rank() == 0 || output.dim(0) != total) {
            return null;
        }
        long[] shape = output.shape();
        int perRow = perRow(shape);
        List<Tensor> parts = new ArrayList<>(rows.length);
        int at = 0;
        for (int count : rows) {
            shape[0] = count;
            Object data = Array.newInstance(output.datatype().arrayType().getComponentType(), count * perRow);
            System.arraycopy(output.data(), at, data, 0, count * perRow);
            at += count * perRow;
            parts.add(Tensor.of(output.name(), output.datatype(), shape, data));
        }
        return parts;
    }

    /** One engine call over stacked inputs, returning every output it produced. */
    @FunctionalInterface
    public interface EngineCall<E extends Exception> {
        Collection<Tensor> run(List<Tensor> stackedInputs) throws E;
    }

    /**
     * Stacks the requests' inputs, runs them as one engine call and cuts every output back into
     * one list per request, in order.
     *
     * @return the outputs of each request, or {@code null} when an output cannot be split by rows
     *     (the caller then runs the requests one by one)
     */
    public static <E extends Exception> List<List<Tensor>> runStacked(ModelMetadata metadata,
            List<InferenceRequest> requests, int[] rows, EngineCall<E> engine) throws E {
        Collection<Tensor> outputs = engine.run(concatenate(metadata, requests, rows));
        List<List<Tensor>> perRequest = new ArrayList<>(requests.size());
        for (int r = 0; r < requests.size(); r++) {
            perRequest.add(new ArrayList<>(outputs.size()));
        }
        for (Tensor output : outputs) {
            List<Tensor> parts = split(output, rows);
            if (parts == null) {
                return null;
            }
            for (int r = 0; r < parts.size(); r++) {
                perRequest.get(r).add(parts.get(r));
            }
        }
        return perRequest;
    }

    private static boolean dynamicFirst(List<TensorMetadata> tensors) {
        return tensors.stream().allMatch(t -> t.shape().length > 0 && t.shape()[0] == -1);
    }

    private static boolean sameTrailingDims(long[] a, long[] b) {
        return a.length == b.length && Arrays.equals(a, 1, a.length, b, 1, b.length);
    }

    private static int perRow(long[] shape) {
        int perRow = 1;
        for (int i = 1; i < shape.length; i++) {
            perRow = Math.multiplyExact(perRow, (int) shape[i]);
        }
        return perRow;
    }
}
