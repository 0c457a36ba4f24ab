package dev.modelgate.runtime.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.TensorMetadata;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * ONNX element types to protocol datatypes, and an ONNX session's inputs and outputs to protocol
 * metadata. Only types that ONNX Runtime's Java API can both create and read are mapped: its
 * {@code OnnxJavaType} has no UINT16, UINT32 or UINT64, complex or 8-bit float, so a model that
 * declares one is refused at load rather than failing on its first request.
 */
final class OnnxTypes {
    private static final Map<OnnxTensorType, DataType> TYPES = new EnumMap<>(OnnxTensorType.class);

    static {
        TYPES.put(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, DataType.FP32);
        TYPES.put(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE, DataType.FP64);
        TYPES.put(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16, DataType.FP16);
        TYPES.put(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16, DataType.BF16);
        TYPES.put(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8, DataType.INT8);
        TYPES.put(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8, DataType.UINT8);
        TYPES.put(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16, DataType.INT16);
        TYPES.put(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32, DataType.INT32);
        TYPES.put(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64, DataType.INT64);
        TYPES.put(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL, DataType.BOOL);
        TYPES.put(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING, DataType.BYTES);
    }

    private OnnxTypes() {
    }

    /** The protocol datatype of an ONNX element type, or {@code null} when it is not supported. */
    static DataType dataType(OnnxTensorType type) {
        return TYPES.get(type);
    }

    /**
     * Protocol metadata for a session's inputs or outputs, in the model's order.
     *
     * @param role {@code input} or {@code output}, for messages
     * @throws InferenceException INVALID_ARGUMENT for a non-tensor value (map, sequence, optional)
     *     or an element type the runtime cannot carry
     */
    static List<TensorMetadata> metadata(String role, Map<String, NodeInfo> nodes) {
        List<TensorMetadata> tensors = new ArrayList<>(nodes.size());
        List<String> problems = new ArrayList<>();
        for (NodeInfo node : nodes.values()) {
            if (!(node.getInfo() instanceof TensorInfo info)) {
                problems.add(role + " " + node.getName() + ": " + node.getInfo()
                        + " (expected: a tensor; maps and sequences are not served)");
                continue;
            }
            DataType datatype = dataType(info.onnxType);
            if (datatype == null) {
                problems.add(role + " " + node.getName() + ": " + info.onnxType
                        + " (expected one of " + TYPES.keySet() + ")");
                continue;
            }
            tensors.add(new TensorMetadata(node.getName(), datatype, shape(info)));
        }
        if (!problems.isEmpty()) {
            throw InferenceException.invalid(String.join("; ", problems));
        }
        return tensors;
    }

    /** The declared shape with -1 for every dynamic or symbolic dimension. */
    static long[] shape(TensorInfo info) {
        long[] shape = info.getShape();
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                shape[i] = -1;
            }
        }
        return shape;
    }
}
