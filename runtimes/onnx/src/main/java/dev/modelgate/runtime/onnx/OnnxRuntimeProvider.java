package dev.modelgate.runtime.onnx;

import dev.modelgate.api.spi.ModelRuntime;
import dev.modelgate.api.spi.ModelRuntimeProvider;

/**
 * The {@code onnx} runtime: runs ONNX models with Microsoft ONNX Runtime, on CPU or, when built
 * with {@code -Pgpu} and run where CUDA is present, on a CUDA GPU.
 *
 * <p>Load options ({@link dev.modelgate.api.spi.ModelLoadRequest#options()}):
 * {@code intra-op-threads} and {@code inter-op-threads} (integers, 0 = ONNX Runtime's default),
 * {@code optimization-level} ({@code disabled}, {@code basic}, {@code extended} or
 * {@code all}) and {@code allow-spinning} ({@code true} or {@code false}); any other key fails the
 * load. The load path is a {@code model.onnx} file or the
 * version directory that holds one.
 */
public final class OnnxRuntimeProvider implements ModelRuntimeProvider {
    /** The provider name. */
    public static final String NAME = "onnx";

    /** For {@link java.util.ServiceLoader}. */
    public OnnxRuntimeProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ModelRuntime create() {
        return new OnnxModelRuntime();
    }
}
