package dev.modelgate.runtime.testkit;

import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.RequestValidator;
import dev.modelgate.api.RequestedOutput;
import dev.modelgate.api.Tensor;
import dev.modelgate.api.TensorMetadata;
import dev.modelgate.api.spi.Device;
import dev.modelgate.api.spi.LoadedModel;
import dev.modelgate.api.spi.ModelLoadRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One fake model: immutable apart from the closed flag and the call counter (for {@code
 * fail-every}), so any number of threads may infer.
 */
final class FakeModel implements LoadedModel {
    private final ModelLoadRequest request;
    private final FakeModelSpec spec;
    private final ModelMetadata metadata;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();

    FakeModel(ModelLoadRequest request, FakeModelSpec spec) {
        this.request = request;
        this.spec = spec;
        long[] out = {-1, spec.units()};
        this.metadata = new ModelMetadata(request.name(), List.of(request.version()), "modelgate_fake",
                List.of(new TensorMetadata(spec.input(), DataType.FP32, new long[] {-1, spec.features()})),
                List.of(new TensorMetadata(spec.output(), DataType.FP32, out),
                        new TensorMetadata(spec.reluOutput(), DataType.FP32, out)));
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
            throw InferenceException.unavailable("model " + request.name() + " version "
                    + request.version() + ": closed (expected: a loaded model)");
        }
        requests.forEach(r -> RequestValidator.validate(metadata, r));
        pause();
        if (spec.failEvery() > 0 && calls.incrementAndGet() % spec.failEvery() == 0) {
            throw InferenceException.internal("model " + request.name() + " version " + request.version()
                    + ": injected failure (fail-every " + spec.failEvery() + ")", null);
        }
        List<InferenceResponse> responses = new ArrayList<>(requests.size());
        for (InferenceRequest r : requests) {
            responses.add(answer(r));
        }
        return responses;
    }

    private InferenceResponse answer(InferenceRequest r) {
        Tensor input = r.input(spec.input()).orElseThrow();
        float[] affine = spec.affine(input.data(float[].class));
        long[] shape = {input.dim(0), spec.units()};
        List<Tensor> outputs = new ArrayList<>(2);
        if (wanted(r, spec.output())) {
            outputs.add(Tensor.ofFloats(spec.output(), shape, affine));
        }
        if (wanted(r, spec.reluOutput())) {
            float[] relu = affine.clone();
            for (int i = 0; i < relu.length; i++) {
                relu[i] = Math.max(relu[i], 0f);
            }
            outputs.add(Tensor.ofFloats(spec.reluOutput(), shape, relu));
        }
        return new InferenceResponse(request.name(), request.version(), r.id(), Map.of(), outputs);
    }

    private static boolean wanted(InferenceRequest r, String output) {
        return r.outputs().isEmpty() || r.outputs().stream().map(RequestedOutput::name).anyMatch(output::equals);
    }

    private void pause() {
        if (spec.delay().isZero()) {
            return;
        }
        try {
            Thread.sleep(spec.delay().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw InferenceException.unavailable("model " + request.name() + ": interrupted");
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
