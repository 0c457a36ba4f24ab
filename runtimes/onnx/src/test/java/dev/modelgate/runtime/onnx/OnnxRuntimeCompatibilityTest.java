package dev.modelgate.runtime.onnx;

import dev.modelgate.api.spi.ModelRuntime;
import dev.modelgate.runtime.testkit.RuntimeCompatibilityKit;
import java.io.IOException;
import java.nio.file.Path;

class OnnxRuntimeCompatibilityTest extends RuntimeCompatibilityKit {
    @Override
    protected ModelRuntime createRuntime() {
        return new OnnxRuntimeProvider().create();
    }

    @Override
    protected Path writeFixtureModel(Path dir) throws IOException {
        return OnnxFixtures.writeAffine(dir);
    }
}
