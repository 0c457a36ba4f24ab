package dev.modelgate.server.shm;

import dev.modelgate.server.service.SharedMemory;
import java.nio.file.Path;

/** Triton's system shared memory extension over {@code /dev/shm}; see {@link SharedMemory}. */
public final class SystemSharedMemory {
    /** Where POSIX shared memory objects live on Linux. */
    public static final Path DEV_SHM = Path.of("/dev/shm");

    private SystemSharedMemory() {
    }

    /** An empty region table over {@code /dev/shm}, unmapping at once on unregister. */
    public static SharedMemory create() {
        return new RegionTable(DEV_SHM, Unmapper.system());
    }
}
