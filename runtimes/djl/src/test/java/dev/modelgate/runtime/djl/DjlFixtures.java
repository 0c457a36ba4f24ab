package dev.modelgate.runtime.djl;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.modelgate.runtime.testkit.AffineFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Models made in code and saved in DJL's format, with the signature sidecar. */
final class DjlFixtures {
    private DjlFixtures() {
    }

    /** The affine fixture as {@code affine-0000.params} plus {@value DjlSettings#SIDECAR}. */
    static Path writeAffine(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Model model = Model.newInstance("affine", "PyTorch")) {
            AffineBlockFactory.AffineBlock block = new AffineBlockFactory.AffineBlock();
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, AffineFixture.FEATURES));
            float[][] w = AffineFixture.weights();
            float[] transposed = new float[AffineFixture.UNITS * AffineFixture.FEATURES];
            for (int u = 0; u < AffineFixture.UNITS; u++) {
                for (int f = 0; f < AffineFixture.FEATURES; f++) {
                    transposed[u * AffineFixture.FEATURES + f] = w[f][u];
                }
            }
            block.linear().getParameters().get("weight").getArray().set(transposed);
            block.linear().getParameters().get("bias").getArray().set(AffineFixture.bias());
            model.save(dir, "affine");
        }
        writeSidecar(dir, AffineBlockFactory.class.getName(), "x:FP32[-1,3]", "y:FP32[-1,2];y_relu:FP32[-1,2]");
        return dir;
    }

    static void writeSidecar(Path dir, String factory, String inputs, String outputs) throws IOException {
        Files.writeString(dir.resolve(DjlSettings.SIDECAR), "block-factory=" + factory + "\ninputs=" + inputs
                + "\noutputs=" + outputs + "\n", StandardCharsets.UTF_8);
    }
}
