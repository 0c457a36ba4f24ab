package dev.modelgate.server.shadow;

import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.Tensor;
import java.util.Arrays;

/**
 * Compares a shadow answer with the primary's, output by output. Floating outputs of rank 2 or
 * more are read as class scores: a row agrees when both pick the same top-1 index. Integer and
 * boolean outputs agree row by row when equal. Every numeric output also feeds the largest
 * absolute and relative differences.
 */
public final class ShadowComparator {
    private ShadowComparator() {
    }

    public static ShadowComparison compare(InferenceResponse primary, InferenceResponse shadow) {
        int rows = 0;
        int agreeing = 0;
        double maxAbs = 0;
        double maxRel = 0;
        for (Tensor expected : primary.outputs()) {
            Tensor actual = shadow.outputs().stream()
                    .filter(t -> t.name().equals(expected.name())).findFirst().orElse(null);
            if (actual == null) {
                return mismatch("output " + expected.name() + " missing from the shadow answer");
            }
            if (actual.datatype() != expected.datatype()
                    || !Arrays.equals(actual.shape(), expected.shape())) {
                return mismatch("output " + expected.name() + ": " + actual.datatype()
                        + Arrays.toString(actual.shape()) + " (primary: " + expected.datatype()
                        + Arrays.toString(expected.shape()) + ")");
            }
            if (expected.datatype() == DataType.BYTES) {
                int same = Arrays.deepEquals((Object[]) expected.data(), (Object[]) actual.data()) ? 1 : 0;
                rows++;
                agreeing += same;
                continue;
            }
            double[] a = Elements.asDoubles(expected);
            double[] b = Elements.asDoubles(actual);
            for (int i = 0; i < a.length; i++) {
                double abs = Math.abs(a[i] - b[i]);
                double scale = Math.max(Math.abs(a[i]), Math.abs(b[i]));
                maxAbs = Math.max(maxAbs, abs);
                maxRel = Math.max(maxRel, scale == 0 ? 0 : abs / scale);
            }
            int width = expected.rank() == 0 ? 1 : (int) expected.dim(expected.rank() - 1);
            int outputRows = width == 0 ? 0 : a.length / width;
            boolean scores = isFloating(expected.datatype()) && expected.rank() >= 2;
            for (int row = 0; row < outputRows; row++) {
                int from = row * width;
                boolean same = scores
                        ? argmax(a, from, width) == argmax(b, from, width)
                        : Arrays.equals(a, from, from + width, b, from, from + width);
                agreeing += same ? 1 : 0;
            }
            rows += outputRows;
        }
        return new ShadowComparison(rows, agreeing, maxAbs, maxRel, null);
    }

    private static ShadowComparison mismatch(String why) {
        return new ShadowComparison(1, 0, Double.NaN, Double.NaN, why);
    }

    private static boolean isFloating(DataType type) {
        return type == DataType.FP32 || type == DataType.FP64 || type.isHalfPrecision();
    }

    private static int argmax(double[] values, int from, int width) {
        int best = from;
        for (int i = from + 1; i < from + width; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best - from;
    }
}
