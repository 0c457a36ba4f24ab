package dev.modelgate.server.shadow;

import dev.modelgate.api.Tensor;

/** Widens any numeric or boolean tensor to doubles for comparison. */
final class Elements {
    private Elements() {
    }

    static double[] asDoubles(Tensor tensor) {
        Object data = tensor.data();
        int n = tensor.elementCount();
        double[] out = new double[n];
        boolean unsigned = tensor.datatype().isUnsigned();
        switch (tensor.datatype()) {
            case BOOL -> {
                boolean[] v = (boolean[]) data;
                for (int i = 0; i < n; i++) {
                    out[i] = v[i] ? 1 : 0;
                }
            }
            case INT8, UINT8 -> {
                byte[] v = (byte[]) data;
                for (int i = 0; i < n; i++) {
                    out[i] = unsigned ? v[i] & 0xff : v[i];
                }
            }
            case INT16, UINT16 -> {
                short[] v = (short[]) data;
                for (int i = 0; i < n; i++) {
                    out[i] = unsigned ? v[i] & 0xffff : v[i];
                }
            }
            case FP16 -> {
                short[] v = (short[]) data;
                for (int i = 0; i < n; i++) {
                    out[i] = halfToFloat(v[i]);
                }
            }
            case BF16 -> {
                short[] v = (short[]) data;
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((v[i] & 0xffff) << 16);
                }
            }
            case INT32, UINT32 -> {
                int[] v = (int[]) data;
                for (int i = 0; i < n; i++) {
                    out[i] = unsigned ? Integer.toUnsignedLong(v[i]) : v[i];
                }
            }
            case INT64, UINT64 -> {
                long[] v = (long[]) data;
                for (int i = 0; i < n; i++) {
                    out[i] = v[i];
                }
            }
            case FP32 -> {
                float[] v = (float[]) data;
                for (int i = 0; i < n; i++) {
                    out[i] = v[i];
                }
            }
            case FP64 -> System.arraycopy(data, 0, out, 0, n);
            case BYTES -> throw new IllegalArgumentException("BYTES has no numeric value");
        }
        return out;
    }

    /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float value = mantissa * 0x1.0p-24f;
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
