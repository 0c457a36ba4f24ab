package dev.modelgate.server.binary;

import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.Shapes;
import dev.modelgate.api.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;

/**
 * The binary form of a tensor that the REST binary tensor data extension and gRPC's
 * {@code raw_input_contents}/{@code raw_output_contents} share: little-endian, row-major, no
 * padding, each element in its native size; BOOL one byte (0 or 1); BYTES each element a 4-byte
 * little-endian length and then its bytes. FP16 and BF16 travel here as their 16-bit patterns,
 * which is why JSON and typed gRPC contents refuse them.
 *
 * <p>Decoding never trusts a length it was given: sizes are checked against the shape before
 * anything is allocated, and every mismatch is one INVALID_ARGUMENT naming the tensor.
 */
public final class TensorBytes {
    private TensorBytes() {
    }

    /** The number of bytes {@link #encode} writes for this tensor. */
    public static long size(Tensor tensor) {
        if (tensor.datatype() != DataType.BYTES) {
            return (long) tensor.elementCount() * tensor.datatype().byteSize();
        }
        long size = 0;
        for (byte[] element : tensor.data(byte[][].class)) {
            size += 4L + element.length;
        }
        return size;
    }

    /** The tensor's elements in binary form. */
    public static byte[] encode(Tensor tensor) {
        long size = size(tensor);
        if (size > Integer.MAX_VALUE - 16) {
            throw InferenceException.invalid("tensor " + tensor.name() + ": " + size
                    + " bytes (expected: at most 2 GiB in binary form)");
        }
        ByteBuffer out = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        write(tensor, out);
        return out.array();
    }

    /** Writes the tensor's elements at the buffer's position and sets it little-endian. */
    public static void write(Tensor tensor, ByteBuffer out) {
        out.order(ByteOrder.LITTLE_ENDIAN);
        Object data = tensor.data();
        switch (tensor.datatype()) {
            case BOOL -> {
                for (boolean b : (boolean[]) data) {
                    out.put((byte) (b ? 1 : 0));
                }
            }
            case UINT8, INT8 -> out.put((byte[]) data);
            case UINT16, INT16, FP16, BF16 -> out.asShortBuffer().put((short[]) data);
            case UINT32, INT32 -> out.asIntBuffer().put((int[]) data);
            case UINT64, INT64 -> out.asLongBuffer().put((long[]) data);
            case FP32 -> out.asFloatBuffer().put((float[]) data);
            case FP64 -> out.asDoubleBuffer().put((double[]) data);
            case BYTES -> {
                for (byte[] element : (byte[][]) data) {
                    out.putInt(element.length).put(element);
                }
            }
        }
        int width = tensor.datatype().byteSize();
        if (width > 1) {
            out.position(out.position() + tensor.elementCount() * width);
        }
    }

    /**
     * A tensor from its binary form; {@code bytes} is read from its position to its limit.
     *
     * @throws InferenceException INVALID_ARGUMENT when the size does not fit the shape
     */
    public static Tensor decode(String name, DataType datatype, long[] shape, ByteBuffer bytes,
            Map<String, ?> parameters) {
        ByteBuffer in = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
        int count = Shapes.elementCount(shape);
        Object data = datatype == DataType.BYTES ? strings(name, count, in)
                : fixed(name, datatype, shape, count, in);
        return Tensor.of(name, datatype, shape, data, parameters);
    }

    private static Object fixed(String name, DataType datatype, long[] shape, int count,
            ByteBuffer in) {
        long expected = (long) count * datatype.byteSize();
        if (in.remaining() != expected) {
            throw InferenceException.invalid("tensor " + name + " binary data: " + in.remaining()
                    + " bytes (expected: " + expected + " for " + datatype + " shape "
                    + Arrays.toString(shape) + ")");
        }
        return switch (datatype) {
            case BOOL -> bools(name, count, in);
            case UINT8, INT8 -> {
                byte[] out = new byte[count];
                in.get(out);
                yield out;
            }
            case UINT16, INT16, FP16, BF16 -> {
                short[] out = new short[count];
                in.asShortBuffer().get(out);
                yield out;
            }
            case UINT32, INT32 -> {
                int[] out = new int[count];
                in.asIntBuffer().get(out);
                yield out;
            }
            case UINT64, INT64 -> {
                long[] out = new long[count];
                in.asLongBuffer().get(out);
                yield out;
            }
            case FP32 -> {
                float[] out = new float[count];
                in.asFloatBuffer().get(out);
                yield out;
            }
            case FP64 -> {
                double[] out = new double[count];
                in.asDoubleBuffer().get(out);
                yield out;
            }
            case BYTES -> throw new IllegalStateException("BYTES is variable-size");
        };
    }

    private static boolean[] bools(String name, int count, ByteBuffer in) {
        boolean[] out = new boolean[count];
        for (int i = 0; i < count; i++) {
            byte b = in.get();
            if (b != 0 && b != 1) {
                throw InferenceException.invalid("tensor " + name + " binary data[" + i + "]: " + b
                        + " (expected: 0 or 1 for BOOL)");
            }
            out[i] = b == 1;
        }
        return out;
    }

    private static byte[][] strings(String name, int count, ByteBuffer in) {
        // Every element needs at least its 4-byte length, so this bounds the array before allocating.
        if ((long) count * 4 > in.remaining()) {
            throw InferenceException.invalid("tensor " + name + " binary data: " + in.remaining()
                    + " bytes (expected: at least " + (long) count * 4 + " for " + count
                    + " BYTES elements)");
        }
        byte[][] out = new byte[count][];
        for (int i = 0; i < count; i++) {
            if (in.remaining() < 4) {
                throw truncated(name, i, in);
            }
            long length = Integer.toUnsignedLong(in.getInt());
            if (length > in.remaining()) {
                throw InferenceException.invalid("tensor " + name + " binary data[" + i
                        + "]: length " + length + " (expected: at most the " + in.remaining()
                        + " bytes left)");
            }
            out[i] = new byte[(int) length];
            in.get(out[i]);
        }
        if (in.hasRemaining()) {
            throw InferenceException.invalid("tensor " + name + " binary data: " + in.remaining()
                    + " bytes after " + count + " BYTES elements (expected: none)");
        }
        return out;
    }

    private static InferenceException truncated(String name, int index, ByteBuffer in) {
        return InferenceException.invalid("tensor " + name + " binary data[" + index + "]: "
                + in.remaining() + " bytes left (expected: a 4-byte length)");
    }
}
