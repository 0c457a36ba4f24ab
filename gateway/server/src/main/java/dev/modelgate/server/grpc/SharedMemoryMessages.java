package dev.modelgate.server.grpc;

import dev.modelgate.server.grpc.proto.SystemSharedMemoryRegisterRequest;
import dev.modelgate.server.grpc.proto.SystemSharedMemoryStatusResponse;
import dev.modelgate.server.service.SharedMemory;
import java.util.List;
import java.util.Optional;

/**
 * Triton's system shared memory messages to and from the {@link SharedMemory} seam. Offsets and
 * sizes are uint64 on the wire; one past {@code Long.MAX_VALUE} arrives negative here and the
 * region table refuses it like any other out-of-range number.
 */
final class SharedMemoryMessages {
    private SharedMemoryMessages() {
    }

    static SharedMemory.Region region(SystemSharedMemoryRegisterRequest in) {
        return new SharedMemory.Region(in.getName(), in.getKey(), in.getOffset(), in.getByteSize());
    }

    static Optional<String> name(String name) {
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }

    static SystemSharedMemoryStatusResponse status(List<SharedMemory.Region> regions) {
        SystemSharedMemoryStatusResponse.Builder out = SystemSharedMemoryStatusResponse.newBuilder();
        for (SharedMemory.Region region : regions) {
            out.putRegions(region.name(), SystemSharedMemoryStatusResponse.RegionStatus.newBuilder()
                    .setName(region.name()).setKey(region.key()).setOffset(region.offset())
                    .setByteSize(region.byteSize()).build());
        }
        return out.build();
    }
}
