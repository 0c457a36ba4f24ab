package dev.modelgate.loadtests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.api.DataType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes JSON tensor elements the way the binary tensor extension lays them out: row-major,
 * little-endian, each element in its datatype's native size; BOOL as one byte; BYTES as a 4-byte
 * little-endian length followed by the bytes; FP16 and BF16 rounded to nearest even from the
 * JSON number.
 */
final class TensorBytes {
    private TensorBytes() {
    }

    static byte[] encode(String name, DataType type, List<JsonNode> elements) {
        if (type == DataType.BYTES) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (JsonNode e : elements) {
                byte[] bytes = e.asText().getBytes(StandardCharsets.UTF_8);
                out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length).array());
                out.writeBytes(bytes);
            }
            return out.toByteArray();
        }
        ByteBuffer out = ByteBuffer.allocate(Math.multiplyExact(elements.size(), type.byteSize()))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (JsonNode e : elements) {
            if (!(e.isNumber() || e.isBoolean())) {
                throw new LoadTestException.Usage("input " + name + ": element " + e + " (expected: a "
                        + (type == DataType.BOOL ? "boolean" : "number") + " for " + type + ")");
            }
            switch (type) {
                case BOOL -> out.put((byte) (e.isBoolean() ? (e.booleanValue() ? 1 : 0) : (e.asDouble() != 0 ? 1 : 0)));
                case UINT8, INT8 -> out.put((byte) e.asLong());
                case UINT16, INT16 -> out.putShort((short) e.asLong());
                case UINT32, INT32 -> out.putInt((int) e.asLong());
                case UINT64, INT64 -> out.putLong(e.isBigInteger() ? e.bigIntegerValue().longValue() : e.asLong());
                case FP16 -> out.putShort(toHalf((float) e.asDouble()));
                case BF16 -> out.putShort(toBfloat16((float) e.asDouble()));
                case FP32 -> out.putFloat((float) e.asDouble());
                case FP64 -> out.putDouble(e.asDouble());
                default -> throw new AssertionError(type);
            }
        }
        return out.array();
    }

    /** IEEE 754 binary16, round to nearest even; overflow becomes infinity. */
    static short toHalf(float value) {
        int bits = Float.floatToIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exponent == 0xff) {
            return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (halfExponent <= 0) {
            if (halfExponent < -10) {
                return (short) sign;
            }
            int m = mantissa | 0x800000;
            int shift = 14 - halfExponent;
            int half = m >>> shift;
            int rest = m & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rest > halfway || (rest == halfway && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (halfExponent << 10) | (mantissa >>> 13);
        int rest = mantissa & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
            half++;
        }
        return (short) (sign | half);
    }

    /** bfloat16: the top 16 bits of the float, rounded to nearest even. */
    static short toBfloat16(float value) {
        int bits = Float.floatToIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }
}
