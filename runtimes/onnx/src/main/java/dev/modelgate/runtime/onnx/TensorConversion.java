package dev.modelgate.runtime.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.Tensor;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Protocol tensors to ONNX Runtime tensors and back. Inputs are copied once into direct buffers in
 * native order, which ONNX Runtime uses in place; outputs are copied once out of the native tensor.
 * FP16 and BF16 travel as raw 16-bit patterns both ways, BYTES as UTF-8 strings.
 *
 * <p>ONNX Runtime's Java API creates and reads string tensors only as {@code java.lang.String}, so
 * a BYTES element that is not UTF-8 has no faithful form here: it is refused with INVALID_ARGUMENT
 * naming the element, never replaced by U+FFFD (which would hand the model other bytes than the
 * client sent). Zero-length elements are empty strings and travel unchanged.
 */
final class TensorConversion {
    private TensorConversion() {
    }

    /** An ONNX tensor over the tensor's elements; the caller closes it. */
    static OnnxTensor toOnnx(OrtEnvironment env, Tensor tensor) throws OrtException {
        long[] shape = tensor.shape();
        Object data = tensor.data();
        return switch (tensor.datatype()) {
            case FP32 -> OnnxTensor.createTensor(env, direct(tensor, 4).asFloatBuffer().put((float[]) data).flip(), shape);
            case FP64 -> OnnxTensor.createTensor(env, direct(tensor, 8).asDoubleBuffer().put((double[]) data).flip(), shape);
            case INT32 -> OnnxTensor.createTensor(env, direct(tensor, 4).asIntBuffer().put((int[]) data).flip(), shape);
            case INT64 -> OnnxTensor.createTensor(env, direct(tensor, 8).asLongBuffer().put((long[]) data).flip(), shape);
            case INT16 -> shorts(env, tensor, OnnxJavaType.INT16);
            case FP16 -> shorts(env, tensor, OnnxJavaType.FLOAT16);
            case BF16 -> shorts(env, tensor, OnnxJavaType.BFLOAT16);
            case INT8 -> OnnxTensor.createTensor(env, direct(tensor, 1).put((byte[]) data).flip(), shape, OnnxJavaType.INT8);
            case UINT8 -> OnnxTensor.createTensor(env, direct(tensor, 1).put((byte[]) data).flip(), shape, OnnxJavaType.UINT8);
            case BOOL -> OnnxTensor.createTensor(env, bools((boolean[]) data, direct(tensor, 1)), shape, OnnxJavaType.BOOL);
            case BYTES -> OnnxTensor.createTensor(env, strings(tensor.name(), (byte[][]) data), shape);
            default -> throw InferenceException.invalid("input " + tensor.name() + " datatype: "
                    + tensor.datatype() + " (expected: a datatype ONNX Runtime's Java API can create)");
        };
    }

    /** A protocol tensor holding a copy of the ONNX tensor's elements. */
    static Tensor fromOnnx(String name, OnnxTensor onnx) throws OrtException {
        TensorInfo info = onnx.getInfo();
        DataType datatype = OnnxTypes.dataType(info.onnxType);
        if (datatype == null) {
            throw InferenceException.internal("output " + name + ": " + info.onnxType
                    + " (expected: a supported element type)", null);
        }
        long[] shape = info.getShape();
        int count = Math.toIntExact(info.getNumElements());
        Object data = switch (datatype) {
            case FP32 -> read(onnx.getFloatBuffer(), new float[count]);
            case FP64 -> read(onnx.getDoubleBuffer(), new double[count]);
            case INT32 -> read(onnx.getIntBuffer(), new int[count]);
            case INT64 -> read(onnx.getLongBuffer(), new long[count]);
            case INT16, FP16, BF16 -> read(onnx.getShortBuffer(), new short[count]);
            case INT8, UINT8 -> read(onnx.getByteBuffer(), new byte[count]);
            case BOOL -> booleans(onnx.getByteBuffer(), count);
            case BYTES -> utf8(onnx.getValue(), count);
            default -> throw new IllegalStateException("unmapped " + datatype);
        };
        return Tensor.of(name, datatype, shape, data);
    }

    private static ByteBuffer direct(Tensor tensor, int bytesPerElement) {
        return ByteBuffer.allocateDirect(tensor.elementCount() * bytesPerElement).order(ByteOrder.nativeOrder());
    }

    private static OnnxTensor shorts(OrtEnvironment env, Tensor tensor, OnnxJavaType type) throws OrtException {
        return OnnxTensor.createTensor(env, direct(tensor, 2).asShortBuffer().put((short[]) tensor.data()).flip(),
                tensor.shape(), type);
    }

    private static ByteBuffer bools(boolean[] values, ByteBuffer buffer) {
        for (boolean value : values) {
            buffer.put((byte) (value ? 1 : 0));
        }
        return buffer.flip();
    }

    private static String[] strings(String name, byte[][] values) {
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        String[] strings = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            try {
                strings[i] = strict.decode(ByteBuffer.wrap(values[i])).toString();
            } catch (CharacterCodingException e) {
                throw InferenceException.invalid("input " + name + " data[" + i + "]: "
                        + values[i].length + " bytes that are not UTF-8 (expected: UTF-8 text;"
                        + " ONNX Runtime's Java API holds string tensors as text)");
            }
        }
        return strings;
    }

    private static float[] read(FloatBuffer buffer, float[] into) {
        buffer.get(into);
        return into;
    }

    private static double[] read(DoubleBuffer buffer, double[] into) {
        buffer.get(into);
        return into;
    }

    private static int[] read(IntBuffer buffer, int[] into) {
        buffer.get(into);
        return into;
    }

    private static long[] read(LongBuffer buffer, long[] into) {
        buffer.get(into);
        return into;
    }

    private static short[] read(ShortBuffer buffer, short[] into) {
        buffer.get(into);
        return into;
    }

    private static byte[] read(ByteBuffer buffer, byte[] into) {
        buffer.get(into);
        return into;
    }

    private static boolean[] booleans(ByteBuffer buffer, int count) {
        boolean[] values = new boolean[count];
        for (int i = 0; i < count; i++) {
            values[i] = buffer.get() != 0;
        }
        return values;
    }

    /** Flattens ONNX Runtime's nested {@code String} arrays (or a scalar) row-major. */
    private static byte[][] utf8(Object value, int count) {
        byte[][] out = new byte[count][];
        int filled = flatten(value, out, 0);
        if (filled != count) {
            throw new IllegalStateException("string tensor: " + filled + " elements (expected: " + count + ")");
        }
        return out;
    }

    private static int flatten(Object value, byte[][] out, int at) {
        if (value instanceof String s) {
            out[at] = s.getBytes(StandardCharsets.UTF_8);
            return at + 1;
        }
        int next = at;
        for (int i = 0; i < Array.getLength(value); i++) {
            next = flatten(Array.get(value, i), out, next);
        }
        return next;
    }
}
