package dev.modelgate.runtime.testkit;

import dev.modelgate.api.InferenceException;
import dev.modelgate.api.spi.Device;
import dev.modelgate.api.spi.LoadedModel;
import dev.modelgate.api.spi.ModelLoadRequest;
import dev.modelgate.api.spi.ModelRuntime;
import java.nio.file.Files;
import java.nio.file.Path;

/** The fake runtime: reads {@code model.fake} files into {@link FakeModel}s. */
final class FakeRuntime implements ModelRuntime {
    private volatile boolean closed;

    @Override
    public LoadedModel load(ModelLoadRequest request) {
        if (closed) {
            throw InferenceException.unavailable("runtime fake: closed (expected: an open runtime)");
        }
        if (!request.options().isEmpty()) {
            throw InferenceException.invalid("options: " + request.options().keySet()
                    + " (expected: none, the fake runtime has no options)");
        }
        Path file = Files.isDirectory(request.path())
                ? request.path().resolve(FakeModelFile.FILE_NAME) : request.path();
        if (!Files.isRegularFile(file)) {
            throw InferenceException.invalid("model path: " + request.path() + " (expected: a "
                    + FakeModelFile.FILE_NAME + " file or a directory holding one)");
        }
        if (request.device() == Device.GPU && !request.fallbackToCpu()) {
            throw InferenceException.unavailable("device: gpu (the fake runtime has no GPU; set"
                    + " fallback-to-cpu: true)");
        }
        return FakeModelFile.load(file, request);
    }

    @Override
    public void close() {
        closed = true;
    }
}
