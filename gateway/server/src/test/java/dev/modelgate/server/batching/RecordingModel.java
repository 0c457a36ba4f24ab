package dev.modelgate.server.batching;

import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.Tensor;
import dev.modelgate.api.TensorMetadata;
import dev.modelgate.api.spi.Device;
import dev.modelgate.api.spi.LoadedModel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A fake model that doubles {@code x}, records each call's request ids, and fails whole calls holding a "bad" id. */
final class RecordingModel implements LoadedModel {
    final List<List<String>> calls = new CopyOnWriteArrayList<>();
    private final ModelMetadata metadata;
    private final long delayMillis;

    RecordingModel(long firstDim, long delayMillis) {
        this.metadata = new ModelMetadata("rec", List.of("1"), "fake",
                List.of(new TensorMetadata("x", DataType.FP32, new long[] {firstDim, -1})),
                List.of(new TensorMetadata("y", DataType.FP32, new long[] {firstDim, -1})));
        this.delayMillis = delayMillis;
    }

    static InferenceRequest request(String id, float... row) {
        return InferenceRequest.of(id, List.of(Tensor.ofFloats("x", new long[] {1, row.length}, row)));
    }

    @Override
    public ModelMetadata metadata() {
        return metadata;
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public List<InferenceResponse> infer(List<InferenceRequest> requests) {
        calls.add(requests.stream().map(InferenceRequest::id).toList());
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (requests.stream().anyMatch(r -> r.id().startsWith("bad"))) {
            throw InferenceException.invalid("poisoned batch");
        }
        return requests.stream().map(r -> {
            Tensor x = r.inputs().get(0);
            float[] in = x.data(float[].class);
            float[] out = new float[in.length];
            for (int i = 0; i < in.length; i++) {
                out[i] = in[i] * 2;
            }
            return new InferenceResponse("rec", "1", r.id(), Map.of(), List.of(Tensor.ofFloats("y", x.shape(), out)));
        }).toList();
    }

    @Override
    public void close() {
    }
}
