package dev.modelgate.server.host;

import dev.modelgate.server.config.ModelConfig;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One model found in the repository: its validated config and the model file of each version.
 *
 * @param name the model's directory name
 * @param config its {@code model.yaml}, or defaults
 * @param versions version number to model file, ascending
 * @param defaultVersion the version served when a request names none
 */
public record ModelEntry(String name, ModelConfig config, SortedMap<Long, Path> versions,
        long defaultVersion) {
    public ModelEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        versions = Collections.unmodifiableSortedMap(new TreeMap<>(versions));
        if (!versions.containsKey(defaultVersion)) {
            throw new IllegalArgumentException("defaultVersion: " + defaultVersion
                    + " (expected one of " + versions.keySet() + ")");
        }
    }
}
