package dev.modelgate.server.binary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.Tensor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TensorBytesTest {
    /** Two elements of each datatype, with values at the edges of their ranges. */
    static Tensor sample(String name, DataType type) {
        Object data = switch (type) {
            case BOOL -> new boolean[] {true, false};
            case UINT8, INT8 -> new byte[] {(byte) 0xFF, 1};
            case UINT16, INT16, FP16, BF16 -> new short[] {(short) 0x3C00, (short) 0xC000};
            case UINT32, INT32 -> new int[] {-1, 7};
            case UINT64, INT64 -> new long[] {Long.MIN_VALUE, 42};
            case FP32 -> new float[] {1.5f, -0.25f};
            case FP64 -> new double[] {Math.PI, -1e300};
            case BYTES -> new byte[][] {"héllo".getBytes(StandardCharsets.UTF_8), new byte[0]};
        };
        return Tensor.of(name, type, new long[] {2}, data);
    }

    @ParameterizedTest
    @EnumSource(DataType.class)
    void everyDatatypeRoundTrips(DataType type) {
        Tensor tensor = sample("t", type);
        byte[] bytes = TensorBytes.encode(tensor);
        assertThat((long) bytes.length).isEqualTo(TensorBytes.size(tensor));
        Tensor back = TensorBytes.decode("t", type, new long[] {2}, ByteBuffer.wrap(bytes), Map.of());
        assertThat(back).isEqualTo(tensor);
    }

    @Test
    void layoutIsLittleEndianWithLengthPrefixedStrings() {
        assertThat(TensorBytes.encode(Tensor.of("t", DataType.INT32, new long[] {2}, new int[] {1, 256})))
                .containsExactly(1, 0, 0, 0, 0, 1, 0, 0);
        assertThat(TensorBytes.encode(Tensor.of("t", DataType.BYTES, new long[] {2},
                new byte[][] {{'a', 'b'}, {'c'}})))
                .containsExactly(2, 0, 0, 0, 'a', 'b', 1, 0, 0, 0, 'c');
        assertThat(TensorBytes.encode(sample("t", DataType.BOOL))).containsExactly(1, 0);
    }

    @Test
    void sizesThatDoNotFitTheShapeAreInvalid() {
        assertInvalid(DataType.FP32, new long[] {2}, new byte[7], "7 bytes (expected: 8");
        assertInvalid(DataType.FP32, new long[] {2}, new byte[9], "9 bytes (expected: 8");
        assertInvalid(DataType.BOOL, new long[] {1}, new byte[] {2}, "expected: 0 or 1");
        assertInvalid(DataType.BYTES, new long[] {2}, new byte[] {1, 0, 0, 0, 'a'},
                "expected: at least 8");
        assertInvalid(DataType.BYTES, new long[] {1}, new byte[] {9, 0, 0, 0, 'a'},
                "length 9 (expected: at most the 1 bytes left)");
        assertInvalid(DataType.BYTES, new long[] {1}, new byte[] {(byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF}, "length 4294967295");
        assertInvalid(DataType.BYTES, new long[] {1}, new byte[] {0, 0, 0, 0, 'x'},
                "1 bytes after 1 BYTES elements");
        assertInvalid(DataType.INT8, new long[] {-1}, new byte[0], "non-negative");
    }

    private static void assertInvalid(DataType type, long[] shape, byte[] bytes, String message) {
        assertThatThrownBy(() -> TensorBytes.decode("t", type, shape, ByteBuffer.wrap(bytes), Map.of()))
                .isInstanceOf(InferenceException.class).hasMessageContaining(message);
    }
}
