package dev.modelgate.runtime.testkit;

import dev.modelgate.api.DataType;
import dev.modelgate.api.Tensor;
import dev.modelgate.api.TensorMetadata;

/**
 * The model every runtime must reproduce in {@link RuntimeCompatibilityKit}: one FP32 input
 * {@value #INPUT} of shape {@code [-1, 3]} and two FP32 outputs of shape {@code [-1, 2]},
 * {@value #OUTPUT} {@code = x·W + b} and {@value #RELU_OUTPUT} {@code = max(x·W + b, 0)}.
 *
 * <p>The weights are small exact binary fractions, so every engine computes the same floats up to
 * summation order; some outputs are negative so that the ReLU output differs from the affine one.
 */
public final class AffineFixture {
    /** The input name. */
    public static final String INPUT = "x";
    /** The affine output name. */
    public static final String OUTPUT = "y";
    /** The rectified output name. */
    public static final String RELU_OUTPUT = "y_relu";
    /** Columns of the input. */
    public static final int FEATURES = 3;
    /** Columns of each output. */
    public static final int UNITS = 2;

    private static final float[][] WEIGHTS = {{0.5f, -1.0f}, {0.25f, 2.0f}, {-1.5f, 0.125f}};
    private static final float[] BIAS = {0.75f, -0.5f};

    private AffineFixture() {
    }

    /** W, of shape {@code [FEATURES, UNITS]}, as a fresh copy. */
    public static float[][] weights() {
        float[][] copy = new float[FEATURES][];
        for (int i = 0; i < FEATURES; i++) {
            copy[i] = WEIGHTS[i].clone();
        }
        return copy;
    }

    /** W flattened row-major, {@code FEATURES * UNITS} values. */
    public static float[] flatWeights() {
        float[] flat = new float[FEATURES * UNITS];
        for (int i = 0; i < FEATURES; i++) {
            System.arraycopy(WEIGHTS[i], 0, flat, i * UNITS, UNITS);
        }
        return flat;
    }

    /** b, of length {@code UNITS}, as a fresh copy. */
    public static float[] bias() {
        return BIAS.clone();
    }

    /** {@code x·W + b} for row-major rows of {@link #FEATURES} columns. */
    public static float[] affine(float[] rows) {
        int count = rows.length / FEATURES;
        float[] out = new float[count * UNITS];
        for (int r = 0; r < count; r++) {
            for (int u = 0; u < UNITS; u++) {
                float sum = BIAS[u];
                for (int f = 0; f < FEATURES; f++) {
                    sum += rows[r * FEATURES + f] * WEIGHTS[f][u];
                }
                out[r * UNITS + u] = sum;
            }
        }
        return out;
    }

    /** {@code max(x·W + b, 0)}. */
    public static float[] relu(float[] rows) {
        float[] out = affine(rows);
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(out[i], 0f);
        }
        return out;
    }

    /** An input tensor of {@code rows.length / FEATURES} rows. */
    public static Tensor input(float... rows) {
        if (rows.length % FEATURES != 0) {
            throw new IllegalArgumentException("rows: " + rows.length + " values (expected: a multiple of "
                    + FEATURES + ")");
        }
        return Tensor.ofFloats(INPUT, new long[] {rows.length / FEATURES, FEATURES}, rows);
    }

    /** The declared input. */
    public static TensorMetadata inputMetadata() {
        return new TensorMetadata(INPUT, DataType.FP32, new long[] {-1, FEATURES});
    }

    /** The declared affine output. */
    public static TensorMetadata outputMetadata() {
        return new TensorMetadata(OUTPUT, DataType.FP32, new long[] {-1, UNITS});
    }

    /** The declared rectified output. */
    public static TensorMetadata reluOutputMetadata() {
        return new TensorMetadata(RELU_OUTPUT, DataType.FP32, new long[] {-1, UNITS});
    }
}
