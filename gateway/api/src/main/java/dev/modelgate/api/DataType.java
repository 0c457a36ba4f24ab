package dev.modelgate.api;

import java.util.Locale;

/**
 * The tensor element types of the Open Inference Protocol, with the Java array each one is held in.
 *
 * <p>Unsigned types are carried in the signed Java array of the same width (their bits are the
 * same); {@code FP16} and {@code BF16} are carried as raw 16-bit patterns in a {@code short[]}.
 */
public enum DataType {
    BOOL(1, boolean[].class),
    UINT8(1, byte[].class),
    UINT16(2, short[].class),
    UINT32(4, int[].class),
    UINT64(8, long[].class),
    INT8(1, byte[].class),
    INT16(2, short[].class),
    INT32(4, int[].class),
    INT64(8, long[].class),
    FP16(2, short[].class),
    FP32(4, float[].class),
    FP64(8, double[].class),
    BYTES(-1, byte[][].class),
    BF16(2, short[].class);

    private final int byteSize;
    private final Class<?> arrayType;

    DataType(int byteSize, Class<?> arrayType) {
        this.byteSize = byteSize;
        this.arrayType = arrayType;
    }

    /** Bytes per element in the binary encoding, or -1 for {@code BYTES}, whose elements vary. */
    public int byteSize() {
        return byteSize;
    }

    /** The Java array type that holds a flat tensor of this type. */
    public Class<?> arrayType() {
        return arrayType;
    }

    /** Whether elements are 16-bit floats that JSON cannot carry faithfully. */
    public boolean isHalfPrecision() {
        return this == FP16 || this == BF16;
    }

    /** Whether this type is unsigned. */
    public boolean isUnsigned() {
        return this == UINT8 || this == UINT16 || this == UINT32 || this == UINT64;
    }

    /**
     * Parses a protocol datatype name; names are case-sensitive as the protocol says.
     *
     * @throws InferenceException {@link ErrorKind#INVALID_ARGUMENT} for an unknown name
     */
    public static DataType parse(String name) {
        if (name != null) {
            for (DataType type : values()) {
                if (type.name().equals(name)) {
                    return type;
                }
            }
        }
        throw InferenceException.invalid("datatype: " + name + " (expected one of "
                + java.util.Arrays.toString(values()).toUpperCase(Locale.ROOT) + ")");
    }
}
