package dev.modelgate.runtime.onnx;

import ai.onnx.proto.OnnxMl;
import dev.modelgate.examples.models.ExtraOnnxOperators;
import dev.modelgate.runtime.testkit.AffineFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;

/** ONNX models made in code for the tests. */
final class OnnxFixtures {
    static final Path REPOSITORY = Path.of("../../examples/model-repository");

    private OnnxFixtures() {
    }

    /** The testkit's {@link AffineFixture} as {@code dir/model.onnx}; returns {@code dir}. */
    static Path writeAffine(Path dir) throws IOException {
        ONNXContext context = new ONNXContext();
        context.setName("affine-fixture");
        ONNXPlaceholder x = context.floatInput(AffineFixture.INPUT, AffineFixture.FEATURES);
        ONNXInitializer weights = context.floatTensor("W", List.of(AffineFixture.FEATURES, AffineFixture.UNITS),
                buffer -> buffer.put(AffineFixture.flatWeights()));
        ONNXInitializer bias = context.floatTensor("b", List.of(AffineFixture.UNITS),
                buffer -> buffer.put(AffineFixture.bias()));
        ONNXPlaceholder y = x.apply(ONNXOperators.GEMM, List.of(weights, bias))
                .assignTo(context.floatOutput(AffineFixture.OUTPUT, AffineFixture.UNITS));
        y.apply(ExtraOnnxOperators.RELU).assignTo(context.floatOutput(AffineFixture.RELU_OUTPUT, AffineFixture.UNITS));
        return write(dir, context.buildGraph());
    }

    /**
     * A model that passes each input {@code in_<type>} of shape {@code [-1, 2]} through
     * {@code Identity} to {@code out_<type>}, one per ONNX element type given.
     */
    static Path writeIdentities(Path dir, Map<String, OnnxMl.TensorProto.DataType> types) throws IOException {
        OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName("identities");
        types.forEach((suffix, type) -> {
            graph.addInput(valueInfo("in_" + suffix, type));
            graph.addOutput(valueInfo("out_" + suffix, type));
            graph.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Identity").setName("id_" + suffix)
                    .addInput("in_" + suffix).addOutput("out_" + suffix));
        });
        return write(dir, graph.build());
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, OnnxMl.TensorProto.DataType type) {
        OnnxMl.TensorShapeProto shape = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(2))
                .build();
        return OnnxMl.ValueInfoProto.newBuilder().setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(
                        OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape)))
                .build();
    }

    private static Path write(Path dir, OnnxMl.GraphProto graph) throws IOException {
        OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder()
                .setGraph(graph)
                .setProducerName("modelgate-tests")
                .addOpsetImport(ONNXOperators.getOpsetProto())
                .setIrVersion(6)
                .build();
        Files.createDirectories(dir);
        Files.write(dir.resolve("model.onnx"), model.toByteArray());
        return dir;
    }
}
