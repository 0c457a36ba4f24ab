package dev.modelgate.server.shm;

import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.RequestedOutput;
import dev.modelgate.api.Tensor;
import dev.modelgate.server.binary.TensorBytes;
import dev.modelgate.server.service.SharedMemory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The registered regions by name, and the copies between them and tensors. Registration maps the
 * file's range read-write once; each request leases the region only while it copies (see
 * {@link MappedRegion}), so unregistering never waits for a model to run. Tensors are copied, not
 * viewed: the api's tensors are Java arrays, so one copy in and one out remain (documented in
 * {@code docs/triton-extensions.md}).
 */
final class RegionTable implements SharedMemory {
    private final Path root;
    private final Consumer<MappedByteBuffer> unmapper;
    private final Map<String, MappedRegion> regions = new ConcurrentHashMap<>();

    RegionTable(Path root, Consumer<MappedByteBuffer> unmapper) {
        this.root = root;
        this.unmapper = unmapper;
    }

    @Override
    public void register(Region region) {
        if (region.name() == null || region.name().isEmpty()) {
            throw InferenceException.invalid("name: \"\" (expected: a region name)");
        }
        Path file = ShmKeys.resolve(root, region.key());
        if (regions.containsKey(region.name())) {
            throw taken(region.name());
        }
        MappedRegion mapped;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            RegionRanges.checkRegion(region.offset(), region.byteSize(), channel.size());
            // The mapping outlives the channel; closing it here leaves no descriptor per region.
            mapped = new MappedRegion(region, channel.map(FileChannel.MapMode.READ_WRITE,
                    region.offset(), region.byteSize()), unmapper);
        } catch (IOException e) {
            throw InferenceException.invalid("key: \"" + region.key() + "\" (expected: a file the"
                    + " server may read and write; " + e.getClass().getSimpleName() + ")");
        }
        if (regions.putIfAbsent(region.name(), mapped) != null) {
            mapped.close();
            throw taken(region.name());
        }
    }

    private static InferenceException taken(String name) {
        return InferenceException.invalid("name: \"" + name + "\" (expected: a name not already"
                + " registered; unregister it first)");
    }

    @Override
    public void unregister(Optional<String> name) {
        if (name.isPresent()) {
            MappedRegion removed = regions.remove(name.get());
            if (removed != null) {
                removed.close();
            }
            return;
        }
        for (String each : List.copyOf(regions.keySet())) {
            unregister(Optional.of(each));
        }
    }

    @Override
    public List<Region> status(Optional<String> name) {
        if (name.isPresent()) {
            return List.of(find(name.get(), "name").region());
        }
        return regions.values().stream().map(MappedRegion::region)
                .sorted(java.util.Comparator.comparing(Region::name)).toList();
    }

    private MappedRegion find(String name, String label) {
        MappedRegion region = regions.get(name);
        if (region == null) {
            throw InferenceException.invalid(label + ": \"" + name + "\" (expected: a registered"
                    + " system shared memory region)");
        }
        return region;
    }

    @Override
    public Tensor readInput(String name, DataType type, long[] shape,
            Map<String, Object> parameters) {
        String label = "input " + name;
        MappedRegion region = find(String.valueOf(parameters.get(REGION)),
                label + " parameters." + REGION);
        RegionRanges.Slice slice = RegionRanges.slice(label, parameters, region.region().byteSize());
        Map<String, Object> rest = new LinkedHashMap<>(parameters);
        rest.remove(REGION);
        rest.remove(BYTE_SIZE);
        rest.remove(OFFSET);
        ByteBuffer bytes = region.lease(slice.offset(), slice.byteSize());
        try {
            // Checks the size against shape x datatype before allocating, then copies once.
            return TensorBytes.decode(name, type, shape, bytes, rest);
        } finally {
            region.release();
        }
    }

    @Override
    public InferenceRequest forward(InferenceRequest request) {
        boolean any = request.outputs().stream().anyMatch(o -> SharedMemory.names(o.parameters()));
        if (!any) {
            return request;
        }
        List<RequestedOutput> outputs = new ArrayList<>();
        for (RequestedOutput output : request.outputs()) {
            Map<String, Object> parameters = new LinkedHashMap<>(output.parameters());
            if (SharedMemory.names(parameters)) {
                // Checked now, so a bad region is refused before the model runs.
                MappedRegion region = find(String.valueOf(parameters.get(REGION)),
                        "output " + output.name() + " parameters." + REGION);
                RegionRanges.slice("output " + output.name(), parameters,
                        region.region().byteSize());
                parameters.remove(REGION);
                parameters.remove(BYTE_SIZE);
                parameters.remove(OFFSET);
            }
            outputs.add(new RequestedOutput(output.name(), parameters));
        }
        return new InferenceRequest(request.id(), request.parameters(), request.inputs(), outputs);
    }

    @Override
    public InferenceResponse writeOutputs(InferenceRequest request, InferenceResponse response) {
        Map<String, Map<String, Object>> wanted = new LinkedHashMap<>();
        for (RequestedOutput output : request.outputs()) {
            if (SharedMemory.names(output.parameters())) {
                wanted.put(output.name(), output.parameters());
            }
        }
        if (wanted.isEmpty()) {
            return response;
        }
        List<Tensor> outputs = new ArrayList<>(response.outputs().size());
        for (Tensor tensor : response.outputs()) {
            Map<String, Object> parameters = wanted.get(tensor.name());
            outputs.add(parameters == null ? tensor : write(tensor, parameters));
        }
        return new InferenceResponse(response.modelName(), response.modelVersion(), response.id(),
                response.parameters(), outputs);
    }

    private Tensor write(Tensor tensor, Map<String, Object> parameters) {
        String label = "output " + tensor.name();
        MappedRegion region = find(String.valueOf(parameters.get(REGION)),
                label + " parameters." + REGION);
        RegionRanges.Slice slice = RegionRanges.slice(label, parameters, region.region().byteSize());
        long size = TensorBytes.size(tensor);
        if (size > slice.byteSize()) {
            throw InferenceException.invalid(label + " parameters." + BYTE_SIZE + ": "
                    + slice.byteSize() + " (expected: at least the " + size + " bytes of the output)");
        }
        ByteBuffer out = region.lease(slice.offset(), slice.byteSize());
        try {
            TensorBytes.write(tensor, out);
        } finally {
            region.release();
        }
        Map<String, Object> answered = new LinkedHashMap<>(tensor.parameters());
        answered.put(REGION, slice.region());
        answered.put(BYTE_SIZE, size);
        if (slice.offset() != 0) {
            answered.put(OFFSET, slice.offset());
        }
        return tensor.withParameters(answered);
    }
}
