package dev.modelgate.runtime.testkit;

import dev.modelgate.api.spi.ModelRuntime;
import dev.modelgate.api.spi.ModelRuntimeProvider;

/**
 * A deterministic runtime named {@code fake} for the gateway's tests: it needs no native engine,
 * loads in microseconds and passes {@link RuntimeCompatibilityKit} like a real runtime.
 *
 * <p>It computes an affine layer and its ReLU from a small properties file, {@code model.fake}
 * (the load path is that file or a directory holding it). {@link FakeModelFile#writeFixture} writes
 * the kit's {@link AffineFixture}. The format, every key on its own line:
 *
 * <pre>
 * format = modelgate-fake/1          # required, exactly this
 * features = 3                       # required, input columns
 * units = 2                          # required, output columns
 * weights = 0.5, -1, 0.25, 2, -1.5, 0.125   # required, features*units values, row-major W
 * bias = 0.75, -0.5                  # required, units values
 * input = x                          # optional, default x
 * output = y                         # optional, default y:      FP32 [-1, units] = x·W + b
 * relu-output = y_relu               # optional, default y_relu: FP32 [-1, units] = max(x·W + b, 0)
 * delay-ms = 0                       # optional, sleep per infer call, to simulate a slow model
 * fail-every = 0                     # optional, every Nth infer call fails (INTERNAL, a 500), to
 *                                    # simulate a broken model; 0 never
 * kind = affine                      # optional: affine (the default, above) or bytes-echo
 * </pre>
 *
 * <p>A {@code kind = bytes-echo} file ({@link FakeModelFile#writeBytesEcho}) takes only
 * {@code input} (default {@code text}) and {@code output} (default {@code text_out}): a BYTES
 * {@code [-1]} input answered unchanged, element by element, so tests see whether a path carries
 * BYTES elements as raw bytes.
 *
 * <p>The input is FP32 {@code [-1, features]}. Unknown keys, or any load option, fail the load with
 * INVALID_ARGUMENT. A GPU load fails with UNAVAILABLE unless {@code fallbackToCpu} is set. Every
 * request is checked with {@link dev.modelgate.api.RequestValidator}, so a host that skips
 * validation is caught.
 */
public final class FakeRuntimeProvider implements ModelRuntimeProvider {
    /** The provider name. */
    public static final String NAME = "fake";

    /** For {@link java.util.ServiceLoader}. */
    public FakeRuntimeProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ModelRuntime create() {
        return new FakeRuntime();
    }
}
