package dev.modelgate.runtime.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.modelgate.api.ErrorKind;
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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One ONNX Runtime session. {@code OrtSession.run} is thread-safe, so calls run in parallel under
 * a read lock; {@link #close} takes the write lock, so the native session is never freed under a
 * running call. Every native tensor and result is closed before a call returns.
 */
final class OnnxModel implements LoadedModel {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final ModelLoadRequest request;
    private final ModelMetadata metadata;
    private final Device device;
    private final boolean batchable;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final AtomicLong engineCalls = new AtomicLong();
    private boolean closed;

    OnnxModel(OrtEnvironment env, OrtSession session, ModelLoadRequest request, ModelMetadata metadata,
            Device device) {
        this.env = env;
        this.session = session;
        this.request = request;
        this.metadata = metadata;
        this.device = device;
        this.batchable = TensorStacking.batchable(metadata);
    }

    @Override
    public ModelMetadata metadata() {
        return metadata;
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public List<InferenceResponse> infer(List<InferenceRequest> requests) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw InferenceException.unavailable("model " + request.name() + " version "
                        + request.version() + ": closed (expected: a loaded model)");
            }
            if (requests.isEmpty()) {
                return List.of();
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
                responses.add(respond(r, run(r.inputs(), wanted(List.of(r)))));
            }
            return responses;
        } catch (OrtException e) {
            throw failure(e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** One engine call for all requests, or {@code null} when an output cannot be split by rows. */
    private List<InferenceResponse> inferStacked(List<InferenceRequest> requests, int[] rows) throws OrtException {
        Set<String> wanted = wanted(requests);
        List<List<Tensor>> parts = TensorStacking.runStacked(metadata, requests, rows,
                inputs -> run(inputs, wanted).values());
        if (parts == null) {
            return null;
        }
        List<InferenceResponse> responses = new ArrayList<>(requests.size());
        for (int r = 0; r < requests.size(); r++) {
            Map<String, Tensor> mine = new LinkedHashMap<>();
            parts.get(r).forEach(t -> mine.put(t.name(), t));
            responses.add(respond(requests.get(r), mine));
        }
        return responses;
    }

    private Map<String, Tensor> run(List<Tensor> inputs, Set<String> wanted) throws OrtException {
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        engineCalls.incrementAndGet();
        try (InputTensors in = InputTensors.create(env, inputs);
                OrtSession.Result result = session.run(in.byName(), wanted)) {
            for (Map.Entry<String, OnnxValue> entry : result) {
                if (!(entry.getValue() instanceof OnnxTensor tensor)) {
                    throw InferenceException.internal("output " + entry.getKey() + ": "
                            + entry.getValue().getType() + " (expected: a tensor)", null);
                }
                outputs.put(entry.getKey(), TensorConversion.fromOnnx(entry.getKey(), tensor));
            }
        }
        return outputs;
    }

    /** The outputs any of the requests wants, in the model's order; all when one wants all. */
    private Set<String> wanted(List<InferenceRequest> requests) {
        Set<String> names = new LinkedHashSet<>();
        for (InferenceRequest r : requests) {
            if (r.outputs().isEmpty()) {
                return allOutputs();
            }
            r.outputs().forEach(o -> names.add(o.name()));
        }
        Set<String> ordered = new LinkedHashSet<>();
        for (String name : allOutputs()) {
            if (names.contains(name)) {
                ordered.add(name);
            }
        }
        return ordered;
    }

    private Set<String> allOutputs() {
        Set<String> names = new LinkedHashSet<>();
        metadata.outputs().forEach(o -> names.add(o.name()));
        return names;
    }

    private InferenceResponse respond(InferenceRequest r, Map<String, Tensor> outputs) {
        List<Tensor> mine = new ArrayList<>(outputs.size());
        Set<String> asked = new LinkedHashSet<>();
        r.outputs().stream().map(RequestedOutput::name).forEach(asked::add);
        for (TensorMetadata declared : metadata.outputs()) {
            Tensor output = outputs.get(declared.name());
            if (output != null && (asked.isEmpty() || asked.contains(declared.name()))) {
                mine.add(output);
            }
        }
        return new InferenceResponse(request.name(), request.version(), r.id(), Map.of(), mine);
    }

    /** How many times the session ran, to check that batches are stacked. */
    long engineCalls() {
        return engineCalls.get();
    }

    private InferenceException failure(OrtException e) {
        String message = "model " + request.name() + " version " + request.version() + ": " + e.getMessage();
        return e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_ARGUMENT
                ? new InferenceException(ErrorKind.INVALID_ARGUMENT, message, e)
                : InferenceException.internal(message, e);
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                session.close();
            }
        } catch (OrtException e) {
            throw InferenceException.internal("model " + request.name() + ": closing failed: " + e.getMessage(), e);
        } finally {
            lock.writeLock().unlock();
        }
    }
}
