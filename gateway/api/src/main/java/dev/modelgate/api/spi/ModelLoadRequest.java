package dev.modelgate.api.spi;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What a runtime needs to load one model version.
 *
 * @param name the model name
 * @param version the version label
 * @param path the model file, or a directory the runtime knows how to read
 * @param device where to run
 * @param deviceId the GPU ordinal when {@code device} is GPU
 * @param fallbackToCpu whether a missing GPU falls back to CPU instead of failing the load
 * @param options runtime-specific settings in kebab-case (for ONNX: {@code intra-op-threads},
 *     {@code inter-op-threads}, {@code optimization-level}); a runtime rejects keys it does not know
 */
public record ModelLoadRequest(String name, String version, Path path, Device device, int deviceId,
        boolean fallbackToCpu, Map<String, String> options) {
    public ModelLoadRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(device, "device");
        options = Map.copyOf(options);
    }

    /** A CPU load with default options. */
    public static ModelLoadRequest onCpu(String name, String version, Path path) {
        return new ModelLoadRequest(name, version, path, Device.CPU, 0, false, Map.of());
    }
}
