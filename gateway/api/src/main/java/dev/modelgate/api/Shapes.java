package dev.modelgate.api;

import java.util.Arrays;

/** Shape arithmetic shared by every codec and runtime. */
public final class Shapes {
    private Shapes() {
    }

    /**
     * The number of elements a tensor of this shape holds.
     *
     * @throws InferenceException INVALID_ARGUMENT for a negative dimension or a count past
     *     {@link Integer#MAX_VALUE} (a Java array's limit)
     */
    public static int elementCount(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw InferenceException.invalid("shape: " + Arrays.toString(shape)
                        + " (expected: non-negative dimensions)");
            }
            if (dim != 0 && count > Integer.MAX_VALUE / dim) {
                count = Long.MAX_VALUE;
            } else {
                count *= dim;
            }
            if (count > Integer.MAX_VALUE) {
                throw InferenceException.invalid("shape: " + Arrays.toString(shape)
                        + " (expected: at most " + Integer.MAX_VALUE + " elements)");
            }
        }
        return (int) count;
    }

    /**
     * Whether a concrete shape fits a declared one, where -1 in the declared shape matches any size.
     */
    public static boolean matches(long[] declared, long[] actual) {
        if (declared.length != actual.length) {
            return false;
        }
        for (int i = 0; i < declared.length; i++) {
            if (declared[i] != -1 && declared[i] != actual[i]) {
                return false;
            }
        }
        return true;
    }
}
