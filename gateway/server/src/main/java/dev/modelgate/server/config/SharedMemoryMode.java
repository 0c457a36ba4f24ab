package dev.modelgate.server.config;

/**
 * Whether clients may register shared memory regions ({@code shared-memory}: none, the default,
 * or system; the flag {@code --allow-shared-memory}). Off by default because a registered region
 * lets a client have the server write into a file: only co-located, trusted clients should.
 * CUDA shared memory is not offered (no GPU path here).
 */
public enum SharedMemoryMode {
    NONE, SYSTEM;

    static final String KEY = "shared-memory";

    static SharedMemoryMode read(ConfigValues in, ConfigProblems problems) {
        String value = in.string(KEY, "none");
        for (SharedMemoryMode mode : values()) {
            if (mode.name().equalsIgnoreCase(value)) {
                return mode;
            }
        }
        problems.add(KEY, value, "none or system");
        return NONE;
    }
}
