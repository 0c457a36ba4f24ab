package dev.modelgate.runtime.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.spi.Device;
import dev.modelgate.api.spi.LoadedModel;
import dev.modelgate.api.spi.ModelLoadRequest;
import dev.modelgate.api.spi.ModelRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads ONNX models into sessions that share one {@link OrtEnvironment}. The environment is ONNX
 * Runtime's process-wide singleton, so closing this runtime stops new loads but leaves the
 * environment to the JVM; the sessions are what hold a model's memory and each model closes its own.
 *
 * <p>A GPU load adds the CUDA execution provider. Where CUDA is missing (the CPU build of ONNX
 * Runtime has no CUDA provider at all; the GPU build needs CUDA and cuDNN libraries at run time)
 * the load fails with UNAVAILABLE, or with {@code fallbackToCpu} runs on CPU and says so in
 * {@link LoadedModel#device()}.
 */
final class OnnxModelRuntime implements ModelRuntime {
    static final String PLATFORM = "onnx_onnxv1";
    static final String MODEL_FILE = "model.onnx";

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private volatile boolean closed;

    @Override
    public LoadedModel load(ModelLoadRequest request) {
        if (closed) {
            throw InferenceException.unavailable("runtime onnx: closed (expected: an open runtime)");
        }
        SessionSettings settings = SessionSettings.parse(request.options());
        Path file = modelFile(request.path());
        Opened opened = request.device() == Device.GPU
                ? openOnGpu(request, settings, file)
                : new Opened(open(settings, file, null), Device.CPU);
        OrtSession session = opened.session();
        try {
            ModelMetadata metadata = new ModelMetadata(request.name(), List.of(request.version()), PLATFORM,
                    OnnxTypes.metadata("input", session.getInputInfo()),
                    OnnxTypes.metadata("output", session.getOutputInfo()));
            return new OnnxModel(env, session, request, metadata, opened.device());
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session);
            if (e instanceof InferenceException inference) {
                throw InferenceException.invalid("model file " + file + ": " + inference.getMessage());
            }
            throw InferenceException.invalid("model file: " + file + " (expected: readable inputs and outputs: "
                    + e.getMessage() + ")");
        }
    }

    /**
     * A CUDA session, or with {@code fallbackToCpu} a CPU one when CUDA is missing.
     *
     * @throws InferenceException UNAVAILABLE when CUDA is missing and fallback is off,
     *     INVALID_ARGUMENT when the model fails on CPU too
     */
    private Opened openOnGpu(ModelLoadRequest request, SessionSettings settings, Path file) {
        String reason;
        OrtSession onCpu = null;
        try {
            return new Opened(open(settings, file, request.deviceId()), Device.GPU);
        } catch (CudaUnavailable e) {
            reason = e.getMessage();
        } catch (InferenceException e) {
            // The GPU (cuDNN missing, out of memory) or the model may be at fault: a bad model fails
            // again on CPU with its own message, a good one is kept for the fallback.
            reason = e.getMessage();
            onCpu = open(settings, file, null);
        }
        if (!request.fallbackToCpu()) {
            if (onCpu != null) {
                closeQuietly(onCpu);
            }
            throw InferenceException.unavailable("device: gpu (CUDA execution provider not available: "
                    + reason + "; build with -Pgpu on a machine with CUDA, or set fallback-to-cpu: true)");
        }
        return new Opened(onCpu != null ? onCpu : open(settings, file, null), Device.CPU);
    }

    private OrtSession open(SessionSettings settings, Path file, Integer cudaDevice) {
        try (SessionOptions options = settings.toSessionOptions()) {
            if (cudaDevice != null) {
                try {
                    options.addCUDA(cudaDevice);
                } catch (OrtException | LinkageError e) {
                    throw new CudaUnavailable(e.getMessage());
                }
            }
            return env.createSession(file.toString(), options);
        } catch (OrtException e) {
            throw InferenceException.invalid("model file: " + file + " (expected: a valid ONNX model: "
                    + e.getMessage().strip() + ")");
        }
    }

    private static Path modelFile(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve(MODEL_FILE) : path;
        if (!Files.isRegularFile(file)) {
            throw InferenceException.invalid("model path: " + path + " (expected: a " + MODEL_FILE
                    + " file or a version directory holding one)");
        }
        return file;
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // nothing more to release
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    private record Opened(OrtSession session, Device device) {
    }

    /** The CUDA provider could not be added; the message says why. */
    private static final class CudaUnavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CudaUnavailable(String message) {
            super(message, null, false, false);
        }
    }
}
