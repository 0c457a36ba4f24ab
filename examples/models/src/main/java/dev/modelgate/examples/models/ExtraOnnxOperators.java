package dev.modelgate.examples.models;

import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;

/**
 * Standard ONNX operators that Tribuo's {@link ONNXOperators} leaves out (it lists only what its
 * own exporters need), declared at the same opset so graphs built with both stay valid.
 */
public enum ExtraOnnxOperators implements ONNXOperator {
    /** {@code Relu}: max(x, 0), one input, one output. */
    RELU("Relu");

    private final String opName;

    ExtraOnnxOperators(String opName) {
        this.opName = opName;
    }

    @Override
    public String getOpName() {
        return opName;
    }

    @Override
    public int getNumInputs() {
        return 1;
    }

    @Override
    public int getNumOptionalInputs() {
        return 0;
    }

    @Override
    public int getNumOutputs() {
        return 1;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return Map.of();
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return Set.of();
    }

    @Override
    public int getOpVersion() {
        return ONNXOperators.getOpsetVersion();
    }

    @Override
    public String getOpDomain() {
        return ONNXOperators.GEMM.getOpDomain();
    }
}
