package dev.modelgate.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * A model input or output as the model declares it ({@code $metadata_tensor}); -1 marks a
 * dimension of variable size.
 */
public record TensorMetadata(String name, DataType datatype, long[] shape) {
    public TensorMetadata {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(datatype, "datatype");
        shape = shape.clone();
    }

    /** A copy of the declared shape. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorMetadata other && name.equals(other.name)
                && datatype == other.datatype && Arrays.equals(shape, other.shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, datatype, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return name + ":" + datatype + Arrays.toString(shape);
    }
}
