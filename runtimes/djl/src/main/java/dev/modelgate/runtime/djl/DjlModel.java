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
import dev.modelgate.api.spi.TensorStacking;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Collectors;

/**
 * One DJL model. Forward passes in inference mode only read the parameters, so calls run in
 * parallel under a read lock; {@link #close} takes the write lock so native memory is never freed
 * under a running call. Each call's arrays live in a sub-manager closed before the call returns.
 *
 * <p>Inputs are handed to the engine positionally in the declared order and outputs are named by
 * position. Several requests whose shapes stack run as one engine call ({@link TensorStacking}, the
 * same rule as the ONNX runtime's); the rest run one call each.
 */
final class DjlModel implements LoadedModel {
    private final Model model;
    private final ModelLoadRequest request;
    private final ModelMetadata metadata;
    private final boolean batchable;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final AtomicLong engineCalls = new AtomicLong();
    private boolean closed;

    DjlModel(Model model, ModelLoadRequest request, ModelMetadata metadata) {
        this.model = model;
        this.request = request;
        this.metadata = metadata;
        this.batchable = TensorStacking.batchable(metadata);
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
            if (requests.size() > 1 && batchable) {
                int[] rows = TensorStacking.rows(metadata, requests);
                List<InferenceResponse> stacked = rows == null ? null : inferStacked(requests, rows);
                if (stacked != null) {
                    return stacked;
                }
            }
            List<InferenceResponse> responses = new ArrayList<>(requests.size());
            for (InferenceRequest r : requests) {
                responses.add(respond(r, forward(declaredInputs(r))));
            }
            return responses;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** One engine call for all requests, or {@code null} when an output cannot be split by rows. */
    private List<InferenceResponse> inferStacked(List<InferenceRequest> requests, int[] rows) {
        List<List<Tensor>> parts = TensorStacking.runStacked(metadata, requests, rows, this::forward);
        if (parts == null) {
            return null;
        }
        List<InferenceResponse> responses = new ArrayList<>(requests.size());
        for (int r = 0; r < requests.size(); r++) {
            responses.add(respond(requests.get(r), parts.get(r)));
        }
        return responses;
    }

    private List<Tensor> declaredInputs(InferenceRequest r) {
        List<Tensor> inputs = new ArrayList<>(metadata.inputs().size());
        for (TensorMetadata declared : metadata.inputs()) {
            inputs.add(r.input(declared.name()).orElseThrow(() -> InferenceException.invalid(
                    "input " + declared.name() + ": missing (expected: every declared input)")));
        }
        return inputs;
    }

    /** One forward pass over inputs in the declared order; every declared output, named. */
    private List<Tensor> forward(List<Tensor> inputs) {
        engineCalls.incrementAndGet();
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDList in = new NDList();
            for (Tensor input : inputs) {
                in.add(NdConversion.toNd(manager, input));
            }
            NDList outputs = model.getBlock().forward(new ParameterStore(manager, false), in, false);
            if (outputs.size() != metadata.outputs().size()) {
                throw InferenceException.internal("model " + request.name() + ": " + outputs.size()
                        + " outputs (expected: " + metadata.outputs().size() + " as declared)", null);
            }
            List<Tensor> named = new ArrayList<>(outputs.size());
            for (int i = 0; i < outputs.size(); i++) {
                named.add(NdConversion.fromNd(metadata.outputs().get(i).name(), outputs.get(i)));
            }
            return named;
        } catch (EngineException | IllegalArgumentException | IllegalStateException e) {
            throw InferenceException.invalid("model " + request.name() + " version " + request.version()
                    + ": " + e.getMessage());
        }
    }

    private InferenceResponse respond(InferenceRequest r, List<Tensor> outputs) {
        Set<String> asked = r.outputs().stream().map(RequestedOutput::name).collect(Collectors.toSet());
        List<Tensor> mine = outputs.stream().filter(t -> asked.isEmpty() || asked.contains(t.name())).toList();
        return new InferenceResponse(request.name(), request.version(), r.id(), Map.of(), mine);
    }

    /** How many forward passes ran, to check that batches are stacked. */
    long engineCalls() {
        return engineCalls.get();
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
