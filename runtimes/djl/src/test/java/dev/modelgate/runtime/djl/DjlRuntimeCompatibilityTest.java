package dev.modelgate.runtime.djl;

import dev.modelgate.api.spi.ModelRuntime;
import dev.modelgate.runtime.testkit.RuntimeCompatibilityKit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

class DjlRuntimeCompatibilityTest extends RuntimeCompatibilityKit {
    @Override
    protected ModelRuntime createRuntime() {
        return new DjlRuntimeProvider().create();
    }

    @Override
    protected Path writeFixtureModel(Path dir) throws IOException {
        return DjlFixtures.writeAffine(dir);
    }

    @Override
    protected Path writeCorruptModel(Path dir) throws IOException {
        Path path = DjlFixtures.writeAffine(dir);
        Files.write(path.resolve("affine-0000.params"), new byte[] {0x13, 0x37, 0x00, (byte) 0xff, 'n', 'o', 't'});
        return path;
    }
}
