package dev.modelgate.api;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A named, typed, row-major tensor: the unit of data in every request and response.
 *
 * <p>The elements are held flat in the Java array that {@link DataType#arrayType()} names, so a
 * codec or runtime moves them without boxing. A tensor is validated once, at construction: the
 * array type matches the datatype and its length equals the product of the shape. The array is not
 * copied, for speed; callers hand it over and must not change it afterwards.
 */
public final class Tensor {
    private final String name;
    private final DataType datatype;
    private final long[] shape;
    private final Object data;
    private final Map<String, Object> parameters;

    private Tensor(String name, DataType datatype, long[] shape, Object data,
            Map<String, Object> parameters) {
        this.name = name;
        this.datatype = datatype;
        this.shape = shape;
        this.data = data;
        this.parameters = parameters;
    }

    /**
     * A tensor over a flat array of the datatype's Java type.
     *
     * @throws InferenceException INVALID_ARGUMENT when the array type or length does not fit
     */
    public static Tensor of(String name, DataType datatype, long[] shape, Object data) {
        return of(name, datatype, shape, data, Map.of());
    }

    /** As {@link #of(String, DataType, long[], Object)}, with protocol parameters. */
    public static Tensor of(String name, DataType datatype, long[] shape, Object data,
            Map<String, ?> parameters) {
        if (name == null || name.isEmpty()) {
            throw InferenceException.invalid("tensor name: " + name + " (expected: non-empty)");
        }
        Objects.requireNonNull(datatype, "datatype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        long[] ownShape = shape.clone();
        int expected = Shapes.elementCount(ownShape);
        if (data.getClass() != datatype.arrayType()) {
            throw InferenceException.invalid("tensor " + name + " data: "
                    + data.getClass().getSimpleName() + " (expected: "
                    + datatype.arrayType().getSimpleName() + " for " + datatype + ")");
        }
        int actual = Array.getLength(data);
        if (actual != expected) {
            throw InferenceException.invalid("tensor " + name + " data: " + actual
                    + " elements (expected: " + expected + " for shape "
                    + Arrays.toString(ownShape) + ")");
        }
        return new Tensor(name, datatype, ownShape, data, Parameters.copyOf(parameters));
    }

    public static Tensor ofFloats(String name, long[] shape, float... data) {
        return of(name, DataType.FP32, shape, data);
    }

    public static Tensor ofLongs(String name, long[] shape, long... data) {
        return of(name, DataType.INT64, shape, data);
    }

    public String name() {
        return name;
    }

    public DataType datatype() {
        return datatype;
    }

    /** A copy of the shape. */
    public long[] shape() {
        return shape.clone();
    }

    /** The size of one dimension, without copying the shape. */
    public long dim(int index) {
        return shape[index];
    }

    public int rank() {
        return shape.length;
    }

    public int elementCount() {
        return Array.getLength(data);
    }

    /** The flat element array, of {@link DataType#arrayType()}; read it, never change it. */
    public Object data() {
        return data;
    }

    /** The elements as the given array type, for callers that know the datatype. */
    public <T> T data(Class<T> arrayType) {
        if (arrayType != datatype.arrayType()) {
            throw new IllegalStateException("tensor " + name + " is " + datatype + ", not "
                    + arrayType.getSimpleName());
        }
        return arrayType.cast(data);
    }

    public Map<String, Object> parameters() {
        return parameters;
    }

    /** This tensor under another name, sharing the elements. */
    public Tensor withName(String newName) {
        return of(newName, datatype, shape, data, parameters);
    }

    /** This tensor with other parameters, sharing the elements. */
    public Tensor withParameters(Map<String, ?> newParameters) {
        return new Tensor(name, datatype, shape, data, Parameters.copyOf(newParameters));
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof Tensor other
                && name.equals(other.name)
                && datatype == other.datatype
                && Arrays.equals(shape, other.shape)
                && Arrays.deepEquals(new Object[] {data}, new Object[] {other.data})
                && parameters.equals(other.parameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, datatype, Arrays.hashCode(shape),
                Arrays.deepHashCode(new Object[] {data}));
    }

    @Override
    public String toString() {
        return "Tensor[" + name + ", " + datatype + ", " + Arrays.toString(shape) + "]";
    }
}
