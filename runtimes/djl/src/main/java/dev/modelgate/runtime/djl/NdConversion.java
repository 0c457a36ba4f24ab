package dev.modelgate.runtime.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumMap;
import java.util.Map;

/**
 * Moves tensors between our flat arrays and DJL's {@link NDArray}. The types both engines hold
 * natively are mapped; the rest (BYTES, and the unsigned types PyTorch lacks) fail with a message.
 */
final class NdConversion {
    private static final Map<DataType, ai.djl.ndarray.types.DataType> TO_DJL = new EnumMap<>(DataType.class);

    static {
        TO_DJL.put(DataType.FP32, ai.djl.ndarray.types.DataType.FLOAT32);
        TO_DJL.put(DataType.FP64, ai.djl.ndarray.types.DataType.FLOAT64);
        TO_DJL.put(DataType.FP16, ai.djl.ndarray.types.DataType.FLOAT16);
        TO_DJL.put(DataType.BF16, ai.djl.ndarray.types.DataType.BFLOAT16);
        TO_DJL.put(DataType.INT8, ai.djl.ndarray.types.DataType.INT8);
        TO_DJL.put(DataType.UINT8, ai.djl.ndarray.types.DataType.UINT8);
        TO_DJL.put(DataType.INT16, ai.djl.ndarray.types.DataType.INT16);
        TO_DJL.put(DataType.INT32, ai.djl.ndarray.types.DataType.INT32);
        TO_DJL.put(DataType.INT64, ai.djl.ndarray.types.DataType.INT64);
        TO_DJL.put(DataType.BOOL, ai.djl.ndarray.types.DataType.BOOLEAN);
    }

    private NdConversion() {
    }

    static NDArray toNd(NDManager manager, Tensor tensor) {
        ai.djl.ndarray.types.DataType type = TO_DJL.get(tensor.datatype());
        if (type == null) {
            throw InferenceException.invalid("input " + tensor.name() + " datatype: " + tensor.datatype()
                    + " (expected one of " + TO_DJL.keySet() + " for the djl runtime)");
        }
        Shape shape = new Shape(tensor.shape());
        Object data = tensor.data();
        return switch (tensor.datatype()) {
            case FP32 -> manager.create((float[]) data, shape);
            case FP64 -> manager.create((double[]) data, shape);
            case INT32 -> manager.create((int[]) data, shape);
            case INT64 -> manager.create((long[]) data, shape);
            case BOOL -> manager.create((boolean[]) data, shape);
            case INT8, UINT8 -> manager.create(direct((byte[]) data), shape, type);
            default -> manager.create(direct((short[]) data), shape, type);
        };
    }

    static Tensor fromNd(String name, NDArray array) {
        long[] shape = array.getShape().getShape();
        ai.djl.ndarray.types.DataType type = array.getDataType();
        return switch (type) {
            case FLOAT32 -> Tensor.of(name, DataType.FP32, shape, array.toFloatArray());
            case FLOAT64 -> Tensor.of(name, DataType.FP64, shape, array.toDoubleArray());
            case INT32 -> Tensor.of(name, DataType.INT32, shape, array.toIntArray());
            case INT64 -> Tensor.of(name, DataType.INT64, shape, array.toLongArray());
            case BOOLEAN -> Tensor.of(name, DataType.BOOL, shape, array.toBooleanArray());
            case INT8 -> Tensor.of(name, DataType.INT8, shape, array.toByteArray());
            case UINT8 -> Tensor.of(name, DataType.UINT8, shape, array.toByteArray());
            case FLOAT16 -> Tensor.of(name, DataType.FP16, shape, shorts(array));
            case BFLOAT16 -> Tensor.of(name, DataType.BF16, shape, shorts(array));
            case INT16 -> Tensor.of(name, DataType.INT16, shape, shorts(array));
            default -> throw InferenceException.internal("output " + name + " datatype: " + type
                    + " (expected one the protocol carries)", null);
        };
    }

    private static ByteBuffer direct(byte[] data) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(data.length).order(ByteOrder.nativeOrder());
        return buffer.put(data).flip();
    }

    private static ByteBuffer direct(short[] data) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(data.length * 2).order(ByteOrder.nativeOrder());
        buffer.asShortBuffer().put(data);
        return buffer;
    }

    private static short[] shorts(NDArray array) {
        ByteBuffer buffer = array.toByteBuffer().order(ByteOrder.nativeOrder());
        short[] out = new short[buffer.remaining() / 2];
        buffer.asShortBuffer().get(out);
        return out;
    }
}
