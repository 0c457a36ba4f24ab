package dev.modelgate.server.service;

import java.util.Objects;
import java.util.Optional;

/**
 * What a client addressed: a model name and, optionally, a version. Without a version the
 * service picks one by its own policy (the host: the model's default version).
 */
public record ModelRef(String name, Optional<String> version) {
    public ModelRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }

    public static ModelRef of(String name) {
        return new ModelRef(name, Optional.empty());
    }

    public static ModelRef of(String name, String version) {
        return new ModelRef(name, Optional.ofNullable(version));
    }

    @Override
    public String toString() {
        return version.map(v -> name + "@" + v).orElse(name);
    }
}
