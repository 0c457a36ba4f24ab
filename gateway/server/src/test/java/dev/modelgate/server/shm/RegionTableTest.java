package dev.modelgate.server.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.RequestedOutput;
import dev.modelgate.api.Tensor;
import dev.modelgate.server.service.SharedMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegionTableTest {
    @TempDir
    Path root;
    private final List<MappedByteBuffer> unmapped = new CopyOnWriteArrayList<>();
    private RegionTable table;

    @BeforeEach
    void setUp() throws Exception {
        ByteBuffer floats = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 16; i++) {
            floats.putFloat(i);
        }
        Files.write(root.resolve("data"), floats.array());
        table = new RegionTable(root, unmapped::add);
    }

    private static Map<String, Object> in(String region, long size, long offset) {
        return Map.of(SharedMemory.REGION, region, SharedMemory.BYTE_SIZE, size,
                SharedMemory.OFFSET, offset);
    }

    @Test
    void registersListsAndRefusesATakenName() {
        table.register(new SharedMemory.Region("r", "/data", 16, 32));
        assertThat(table.status(Optional.empty()))
                .containsExactly(new SharedMemory.Region("r", "/data", 16, 32));
        assertThat(table.status(Optional.of("r"))).hasSize(1);
        assertThatThrownBy(() -> table.register(new SharedMemory.Region("r", "/data", 0, 8)))
                .isInstanceOf(InferenceException.class)
                .hasMessage("name: \"r\" (expected: a name not already registered; unregister it first)");
        assertThatThrownBy(() -> table.status(Optional.of("other")))
                .hasMessage("name: \"other\" (expected: a registered system shared memory region)");
    }

    @Test
    void refusesARegionOutsideItsFileOrABadKey() {
        assertThatThrownBy(() -> table.register(new SharedMemory.Region("r", "/data", 60, 8)))
                .hasMessage("byte_size: 8 (expected: at most the 4 bytes of the file after offset 60)");
        assertThatThrownBy(() -> table.register(new SharedMemory.Region("r", "/../data", 0, 8)))
                .hasMessageStartingWith("key: \"/../data\"");
        assertThat(table.status(Optional.empty())).isEmpty();
    }

    @Test
    void readsAnInputFromItsOffsetWithinTheRegion() {
        table.register(new SharedMemory.Region("r", "/data", 16, 48));
        Tensor x = table.readInput("x", DataType.FP32, new long[] {2, 2}, in("r", 16, 8));
        // Region starts at file byte 16 (float 4); offset 8 more: floats 6..9.
        assertThat(x.data(float[].class)).containsExactly(6f, 7f, 8f, 9f);
        assertThat(x.parameters()).isEmpty();
        assertThatThrownBy(() -> table.readInput("x", DataType.FP32, new long[] {2, 2}, in("r", 12, 0)))
                .isInstanceOf(InferenceException.class)
                .hasMessageContaining("12 bytes (expected: 16 for FP32");
        assertThatThrownBy(() -> table.readInput("x", DataType.FP32, new long[] {2, 2}, in("r", 16, 40)))
                .hasMessageContaining("(expected: inside region r's 48 bytes)");
        assertThatThrownBy(() -> table.readInput("x", DataType.FP32, new long[] {1}, in("nope", 4, 0)))
                .hasMessage("input x parameters.shared_memory_region: \"nope\" (expected: a"
                        + " registered system shared memory region)");
    }

    @Test
    void writesARequestedOutputIntoTheRegionAndAnswersItsPlace() throws Exception {
        table.register(new SharedMemory.Region("out", "/data", 0, 64));
        InferenceRequest request = new InferenceRequest(null, Map.of(),
                List.of(Tensor.ofFloats("x", new long[] {1}, 1f)),
                List.of(new RequestedOutput("y", in("out", 12, 4)), RequestedOutput.named("z")));
        InferenceRequest forwarded = table.forward(request);
        assertThat(forwarded.outputs()).containsExactly(RequestedOutput.named("y"),
                RequestedOutput.named("z"));
        InferenceResponse answer = new InferenceResponse("m", "1", null, Map.of(), List.of(
                Tensor.ofFloats("y", new long[] {2}, 42f, 43f),
                Tensor.ofFloats("z", new long[] {1}, 5f)));

        InferenceResponse written = table.writeOutputs(request, answer);

        assertThat(written.output("y").parameters()).containsEntry(SharedMemory.REGION, "out")
                .containsEntry(SharedMemory.BYTE_SIZE, 8L).containsEntry(SharedMemory.OFFSET, 4L);
        assertThat(written.output("z").parameters()).isEmpty();
        ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(root.resolve("data")))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertThat(file.getFloat(0)).isEqualTo(0f);
        assertThat(file.getFloat(4)).isEqualTo(42f);
        assertThat(file.getFloat(8)).isEqualTo(43f);
        assertThat(file.getFloat(12)).isEqualTo(3f);
    }

    @Test
    void refusesAnOutputThatDoesNotFitOrNamesNoRegionBeforeTheModelRuns() {
        table.register(new SharedMemory.Region("out", "/data", 0, 64));
        InferenceRequest small = new InferenceRequest(null, Map.of(),
                List.of(Tensor.ofFloats("x", new long[] {1}, 1f)),
                List.of(new RequestedOutput("y", in("out", 4, 0))));
        assertThatThrownBy(() -> table.writeOutputs(small, new InferenceResponse("m", null, null,
                Map.of(), List.of(Tensor.ofFloats("y", new long[] {2}, 1f, 2f)))))
                .hasMessage("output y parameters.shared_memory_byte_size: 4 (expected: at least the"
                        + " 8 bytes of the output)");
        InferenceRequest unknown = new InferenceRequest(null, Map.of(),
                List.of(Tensor.ofFloats("x", new long[] {1}, 1f)),
                List.of(new RequestedOutput("y", in("gone", 4, 0))));
        assertThatThrownBy(() -> table.forward(unknown)).isInstanceOf(InferenceException.class)
                .hasMessageContaining("output y parameters.shared_memory_region: \"gone\"");
    }

    @Test
    void unregisterUnmapsOnlyOnceTheLastLeaseIsReturned() {
        table.register(new SharedMemory.Region("r", "/data", 0, 64));
        table.register(new SharedMemory.Region("s", "/data", 0, 8));
        MappedRegion region = new MappedRegion(new SharedMemory.Region("t", "/data", 0, 8),
                unmappedProbe(), unmapped::add);
        ByteBuffer lease = region.lease(0, 8);
        region.close();
        assertThat(unmapped).isEmpty();
        assertThat(lease.get(0)).isEqualTo((byte) 0);
        assertThatThrownBy(() -> region.lease(0, 8)).isInstanceOf(InferenceException.class)
                .hasMessage("shared_memory_region: t (expected: a registered region; it was"
                        + " unregistered)");
        region.release();
        assertThat(unmapped).hasSize(1);
        region.close();
        assertThat(unmapped).hasSize(1);

        table.unregister(Optional.of("r"));
        table.unregister(Optional.of("never registered"));
        assertThat(unmapped).hasSize(2);
        assertThatThrownBy(() -> table.readInput("x", DataType.FP32, new long[] {1}, in("r", 4, 0)))
                .isInstanceOf(InferenceException.class);
        table.unregister(Optional.empty());
        assertThat(unmapped).hasSize(3);
        assertThat(table.status(Optional.empty())).isEmpty();
    }

    private MappedByteBuffer unmappedProbe() {
        try (FileChannel channel = FileChannel.open(root.resolve("data"), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, 8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
