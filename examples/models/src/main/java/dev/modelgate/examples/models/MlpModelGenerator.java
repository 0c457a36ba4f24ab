package dev.modelgate.examples.models;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Writes a synthetic, compute-heavy MLP as ONNX for load tests and runtime benchmarks, where the
 * iris models are too small to keep a CPU or GPU busy.
 *
 * <p>The graph: FP32 {@value #INPUT} {@code [-1, inputWidth]} (batch dimension dynamic), then
 * {@code depth} times {@code Gemm} and {@code Relu}, then a final {@code Gemm} to FP32
 * {@value #OUTPUT} {@code [-1, outputWidth]}. Weights are He-uniform from a {@link SplittableRandom}
 * seeded by the spec, biases 0.01, so the same spec gives the same numbers everywhere.
 *
 * <p>Usage: {@code MlpModelGenerator <out-dir> [depth [width [input-width [seed]]]]}; writes
 * {@code <out-dir>/model.onnx}. The defaults are {@link MlpSpec#DEFAULT}.
 */
public final class MlpModelGenerator {
    /** The input name. */
    public static final String INPUT = "input";
    /** The output name. */
    public static final String OUTPUT = "output";

    private MlpModelGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: MlpModelGenerator <out-dir> [depth [width [input-width [seed]]]]");
            System.exit(2);
        }
        MlpSpec d = MlpSpec.DEFAULT;
        MlpSpec spec = new MlpSpec(arg(args, 3, d.inputWidth()), arg(args, 1, d.depth()),
                arg(args, 2, d.hiddenWidth()), d.outputWidth(),
                args.length > 4 ? Long.parseLong(args[4]) : d.seed());
        Path file = write(Path.of(args[0]), spec);
        System.out.println("wrote " + file + " " + spec);
    }

    /** Writes {@code dir/model.onnx} for the spec and returns the file. */
    public static Path write(Path dir, MlpSpec spec) throws IOException {
        Files.createDirectories(dir);
        return Files.write(dir.resolve("model.onnx"), build(spec).toByteArray());
    }

    /** The ONNX model for the spec. */
    public static OnnxMl.ModelProto build(MlpSpec spec) {
        ONNXContext context = new ONNXContext();
        context.setName("modelgate-mlp");
        SplittableRandom random = new SplittableRandom(spec.seed());
        ONNXRef<?> activations = context.floatInput(INPUT, spec.inputWidth());
        int width = spec.inputWidth();
        for (int layer = 0; layer < spec.depth(); layer++) {
            activations = dense(context, activations, "hidden" + layer, width, spec.hiddenWidth(), random)
                    .apply(ExtraOnnxOperators.RELU);
            width = spec.hiddenWidth();
        }
        dense(context, activations, "out", width, spec.outputWidth(), random)
                .assignTo(context.floatOutput(OUTPUT, spec.outputWidth()));
        return OnnxMl.ModelProto.newBuilder()
                .setGraph(context.buildGraph())
                .setDomain("dev.modelgate.examples.mlp")
                .setProducerName("modelgate-example-models")
                .setModelVersion(1)
                .setDocString("synthetic MLP " + spec)
                .addOpsetImport(ONNXOperators.getOpsetProto())
                .setIrVersion(6)
                .build();
    }

    private static ONNXRef<?> dense(ONNXContext context, ONNXRef<?> x, String name, int in, int out,
            SplittableRandom random) {
        double limit = Math.sqrt(6.0 / in);
        ONNXInitializer weights = context.floatTensor(name + "_w", List.of(in, out),
                buffer -> fill(buffer, in * out, random, limit));
        ONNXInitializer bias = context.floatTensor(name + "_b", List.of(out), buffer -> {
            for (int i = 0; i < out; i++) {
                buffer.put(0.01f);
            }
        });
        return x.apply(ONNXOperators.GEMM, List.of(weights, bias));
    }

    private static void fill(FloatBuffer buffer, int count, SplittableRandom random, double limit) {
        for (int i = 0; i < count; i++) {
            buffer.put((float) random.nextDouble(-limit, limit));
        }
    }

    private static int arg(String[] args, int index, int otherwise) {
        return args.length > index ? Integer.parseInt(args[index]) : otherwise;
    }
}
