package dev.modelgate.runtime.djl;

import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.RequestedOutput;
import dev.modelgate.api.Tensor;
import dev.modelgate.api.TensorMetadata;
import dev.modelgate.api.spi.Device;
import dev.modelgate.api.spi.LoadedModel;
import dev.modelgate.api.spi.ModelLoadRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Collectors;

/**
 * One DJL model. Forward passes in inference mode only read the parameters, so calls run in
 * parallel under a read lock; {@link #close} takes the write lock so native memory is never freed
 * under a running call. Each call's arrays live in a sub-manager closed before the call returns.
 *
 * <p>Inputs are handed to the engine positionally in the declared order and outputs are named by
 * position; requests run one engine call each (no stacking yet).
 */
final class DjlModel implements LoadedModel {
    private final Model model;
    private final ModelLoadRequest request;
    private final ModelMetadata metadata;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    DjlModel(Model model, ModelLoadRequest request, ModelMetadata metadata) {
        this.model = model;
        this.request = request;
        this.metadata = metadata;
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
        lock.readLock().lock();
        try {
            if (closed) {
                throw InferenceException.unavailable("model " + request.name() + " version "
                        + request.version() + ": closed (expected: a loaded model)");
            }
            List<InferenceResponse> responses = new ArrayList<>(requests.size());
            for (InferenceRequest r : requests) {
                responses.add(run(r));
            }
            return responses;
        } finally {
            lock.readLock().unlock();
        }
    }

    private InferenceResponse run(InferenceRequest r) {
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDList inputs = new NDList();
            for (TensorMetadata declared : metadata.inputs()) {
                Tensor input = r.input(declared.name()).orElseThrow(() -> InferenceException.invalid(
                        "input " + declared.name() + ": missing (expected: every declared input)"));
                inputs.add(NdConversion.toNd(manager, input));
            }
            NDList outputs = model.getBlock().forward(new ParameterStore(manager, false), inputs, false);
            if (outputs.size() != metadata.outputs().size()) {
                throw InferenceException.internal("model " + request.name() + ": " + outputs.size()
                        + " outputs (expected: " + metadata.outputs().size() + " as declared)", null);
            }
            Set<String> asked = r.outputs().stream().map(RequestedOutput::name).collect(Collectors.toSet());
            List<Tensor> mine = new ArrayList<>();
            for (int i = 0; i < outputs.size(); i++) {
                String name = metadata.outputs().get(i).name();
                if (asked.isEmpty() || asked.contains(name)) {
                    mine.add(NdConversion.fromNd(name, outputs.get(i)));
                }
            }
            return new InferenceResponse(request.name(), request.version(), r.id(), Map.of(), mine);
        } catch (EngineException | IllegalArgumentException | IllegalStateException e) {
            throw InferenceException.invalid("model " + request.name() + " version " + request.version()
                    + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                model.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
