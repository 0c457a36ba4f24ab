package dev.modelgate.server.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a tensor's {@code data} (nested or flat, row-major) straight into the flat array of its
 * datatype, checking each element's type and range. The array is sized from the shape up front, so
 * no element is boxed and nothing is copied afterwards.
 */
final class TensorDataReader {
    private static final int MAX_DEPTH = 64;
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    private final JsonParser parser;
    private final String label;
    private final DataType type;
    private final Object array;
    private final int expected;
    private int count;

    private TensorDataReader(JsonParser parser, String label, DataType type, int expected) {
        this.parser = parser;
        this.label = label;
        this.type = type;
        this.expected = expected;
        this.array = allocate(type, expected);
    }

    /**
     * Reads the array the parser is on.
     *
     * @param label how messages name the tensor, for example {@code input x}
     * @param expected the element count the shape demands
     */
    static Object read(JsonParser parser, String label, DataType type, long[] shape, int expected)
            throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw InferenceException.invalid(label + " data: " + RequestReader.text(parser)
                    + " (expected: an array, nested or flat)");
        }
        TensorDataReader reader = new TensorDataReader(parser, label, type, expected);
        reader.readArray(1);
        if (reader.count != expected) {
            throw InferenceException.invalid(label + " data: " + reader.count
                    + " elements (expected: " + expected + " for shape " + Arrays.toString(shape)
                    + ")");
        }
        return reader.array;
    }

    private void readArray(int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw InferenceException.invalid(label + " data: nested " + depth
                    + " deep (expected: at most " + MAX_DEPTH + " levels)");
        }
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == JsonToken.START_ARRAY) {
                readArray(depth + 1);
            } else if (count < expected) {
                store(token, count++);
            } else {
                parser.skipChildren();
                count++;
            }
        }
    }

    private void store(JsonToken token, int i) throws IOException {
        switch (type) {
            case BOOL -> {
                if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
                    throw element(i, "true or false for BOOL");
                }
                ((boolean[]) array)[i] = token == JsonToken.VALUE_TRUE;
            }
            case INT8 -> ((byte[]) array)[i] = (byte) integer(token, i, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case UINT8 -> ((byte[]) array)[i] = (byte) integer(token, i, 0, 0xFF);
            case INT16 -> ((short[]) array)[i] = (short) integer(token, i, Short.MIN_VALUE, Short.MAX_VALUE);
            case UINT16 -> ((short[]) array)[i] = (short) integer(token, i, 0, 0xFFFF);
            case INT32 -> ((int[]) array)[i] = (int) integer(token, i, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case UINT32 -> ((int[]) array)[i] = (int) integer(token, i, 0, 0xFFFF_FFFFL);
            case INT64 -> ((long[]) array)[i] = integer(token, i, Long.MIN_VALUE, Long.MAX_VALUE);
            case UINT64 -> ((long[]) array)[i] = unsigned64(token, i);
            case FP32 -> ((float[]) array)[i] = fp32(token, i);
            case FP64 -> ((double[]) array)[i] = fp64(token, i);
            case BYTES -> {
                if (token != JsonToken.VALUE_STRING) {
                    throw element(i, "a string for BYTES");
                }
                ((byte[][]) array)[i] = parser.getText().getBytes(StandardCharsets.UTF_8);
            }
            default -> throw new IllegalStateException("no JSON reader for " + type);
        }
    }

    private long integer(JsonToken token, int i, long min, long max) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT
                && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            long value = parser.getLongValue();
            if (value >= min && value <= max) {
                return value;
            }
        }
        throw element(i, "an integer in [" + min + ", " + max + "] for " + type);
    }

    private long unsigned64(JsonToken token, int i) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT) {
            BigInteger value = parser.getBigIntegerValue();
            if (value.signum() >= 0 && value.compareTo(TWO_TO_64) < 0) {
                return value.longValue();
            }
        }
        throw element(i, "an integer in [0, 18446744073709551615] for UINT64");
    }

    // A literal past the datatype's range (1e999, or 1e39 for FP32) parses to an infinity that the
    // model would turn into NaN; JSON has no infinity literal, so every infinity here is a misfit.
    // Parsed straight to float: a double rounded again to float can land one ulp off the float
    // nearest the literal (double rounding), where Float.parseFloat, and Jackson's fast parser, do not.
    private float fp32(JsonToken token, int i) throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw element(i, "a number for FP32");
        }
        float narrowed = parser.getFloatValue();
        if (!Float.isFinite(narrowed)) {
            throw element(i, "a number within +-" + Float.MAX_VALUE + " for FP32");
        }
        return narrowed;
    }

    private double fp64(JsonToken token, int i) throws IOException {
        double value = number(token, i, "a number for FP64");
        if (!Double.isFinite(value)) {
            throw element(i, "a number within +-" + Double.MAX_VALUE + " for FP64");
        }
        return value;
    }

    private double number(JsonToken token, int i, String expected) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            return parser.getDoubleValue();
        }
        throw element(i, expected);
    }

    private InferenceException element(int i, String expectedValue) throws IOException {
        return InferenceException.invalid(label + " data[" + i + "]: "
                + RequestReader.text(parser) + " (expected: " + expectedValue + ")");
    }

    private static Object allocate(DataType type, int n) {
        return switch (type) {
            case BOOL -> new boolean[n];
            case INT8, UINT8 -> new byte[n];
            case INT16, UINT16 -> new short[n];
            case INT32, UINT32 -> new int[n];
            case INT64, UINT64 -> new long[n];
            case FP32 -> new float[n];
            case FP64 -> new double[n];
            case BYTES -> new byte[n][];
            case FP16, BF16 -> throw new IllegalStateException("no JSON reader for " + type);
        };
    }
}
