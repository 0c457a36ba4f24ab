package dev.modelgate.runtime.testkit;

import dev.modelgate.api.spi.ModelRuntime;
import java.io.IOException;
import java.nio.file.Path;

class FakeRuntimeCompatibilityTest extends RuntimeCompatibilityKit {
    @Override
    protected ModelRuntime createRuntime() {
        return new FakeRuntimeProvider().create();
    }

    @Override
    protected Path writeFixtureModel(Path dir) throws IOException {
        return FakeModelFile.writeFixture(dir).getParent();
    }
}
