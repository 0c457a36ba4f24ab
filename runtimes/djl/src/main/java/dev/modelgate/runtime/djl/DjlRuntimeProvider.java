package dev.modelgate.runtime.djl;

import dev.modelgate.api.spi.ModelRuntime;
import dev.modelgate.api.spi.ModelRuntimeProvider;

/**
 * The {@code djl} runtime: runs models with Deep Java Library 0.36 on CPU, choosing the engine by
 * the model's format: TorchScript ({@code .pt}) and DJL-saved models ({@code .params}) on PyTorch,
 * {@code .onnx} on DJL's ONNX Runtime engine. The PyTorch native library comes from the
 * {@code pytorch-native-cpu} jar; run with {@code -Dai.djl.offline=true} so that DJL never
 * downloads one.
 *
 * <p>TorchScript and DJL parameter files do not say what their inputs and outputs are called or
 * shaped, so the signature comes from load options or from a {@value DjlSettings#SIDECAR} file
 * beside the model; see {@link DjlSettings} for the keys.
 */
public final class DjlRuntimeProvider implements ModelRuntimeProvider {
    /** The provider name. */
    public static final String NAME = "djl";

    /** For {@link java.util.ServiceLoader}. */
    public DjlRuntimeProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ModelRuntime create() {
        return new DjlModelRuntime();
    }
}
