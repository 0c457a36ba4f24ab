package dev.modelgate.runtime.testkit;

import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.RequestValidator;
import dev.modelgate.api.Tensor;
import dev.modelgate.api.TensorMetadata;
import dev.modelgate.api.spi.Device;
import dev.modelgate.api.spi.LoadedModel;
import dev.modelgate.api.spi.ModelLoadRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A fake model ({@code kind = bytes-echo}) that answers its BYTES input unchanged, element by
 * element: the one place a test can see whether a transport carries a BYTES element as its length
 * and raw bytes (non-UTF-8 and zero-length elements included), since the ONNX runtime's Java API
 * holds strings only.
 */
final class FakeBytesEcho implements LoadedModel {
    private final ModelLoadRequest request;
    private final String input;
    private final String output;
    private final ModelMetadata metadata;
    private volatile boolean closed;

    FakeBytesEcho(ModelLoadRequest request, String input, String output) {
        this.request = request;
        this.input = input;
        this.output = output;
        this.metadata = new ModelMetadata(request.name(), List.of(request.version()),
                "modelgate_fake", List.of(new TensorMetadata(input, DataType.BYTES, new long[] {-1})),
                List.of(new TensorMetadata(output, DataType.BYTES, new long[] {-1})));
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
        if (closed) {
            throw InferenceException.unavailable("model " + request.name() + ": closed"
                    + " (expected: a loaded model)");
        }
        requests.forEach(r -> RequestValidator.validate(metadata, r));
        List<InferenceResponse> responses = new ArrayList<>(requests.size());
        for (InferenceRequest r : requests) {
            Tensor in = r.input(input).orElseThrow();
            responses.add(new InferenceResponse(request.name(), request.version(), r.id(), Map.of(),
                    List.of(Tensor.of(output, DataType.BYTES, in.shape(), in.data()))));
        }
        return responses;
    }

    @Override
    public void close() {
        closed = true;
    }
}
