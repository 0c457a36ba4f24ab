package dev.modelgate.api.spi;

import dev.modelgate.api.InferenceException;
import java.util.Locale;

/** Where a model instance runs. */
public enum Device {
    CPU,
    GPU;

    /** Parses {@code cpu} or {@code gpu}, in any case. */
    public static Device parse(String value) {
        if (value != null) {
            for (Device device : values()) {
                if (device.name().equalsIgnoreCase(value.trim())) {
                    return device;
                }
            }
        }
        throw InferenceException.invalid("device: " + value + " (expected: cpu or gpu)");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
