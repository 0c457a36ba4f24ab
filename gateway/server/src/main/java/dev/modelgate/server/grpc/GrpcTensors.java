package dev.modelgate.server.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.Tensor;
import dev.modelgate.server.binary.TensorBytes;
import dev.modelgate.server.grpc.proto.InferTensorContents;
import java.util.List;
import java.util.Map;

/**
 * Tensors between the api's flat typed arrays and gRPC's two forms: typed
 * {@code InferTensorContents} (small integer types widened to 32 bits, one repeated field per
 * datatype) and raw bytes (the binary extension's layout, see {@link TensorBytes}). FP16 and BF16
 * have no typed field, so they travel raw only.
 */
final class GrpcTensors {
    private GrpcTensors() {
    }

    static Tensor fromRaw(String name, DataType type, long[] shape, ByteString raw,
            Map<String, Object> parameters) {
        return TensorBytes.decode(name, type, shape, raw.asReadOnlyByteBuffer(), parameters);
    }

    static ByteString toRaw(Tensor tensor) {
        // encode() returns a fresh array nothing else holds: wrapped, not copied again.
        return UnsafeByteOperations.unsafeWrap(TensorBytes.encode(tensor));
    }

    static Tensor fromContents(String name, DataType type, long[] shape, InferTensorContents in,
            Map<String, Object> parameters) {
        requireOnly(name, type, in);
        Object data = switch (type) {
            case BOOL -> bools(in.getBoolContentsList());
            case INT8, UINT8 -> bytes(name, type, type == DataType.INT8
                    ? in.getIntContentsList() : in.getUintContentsList());
            case INT16, UINT16 -> shorts(name, type, type == DataType.INT16
                    ? in.getIntContentsList() : in.getUintContentsList());
            case INT32 -> ints(in.getIntContentsList());
            case UINT32 -> ints(in.getUintContentsList());
            case INT64 -> longs(in.getInt64ContentsList());
            case UINT64 -> longs(in.getUint64ContentsList());
            case FP32 -> floats(in);
            case FP64 -> doubles(in);
            case BYTES -> in.getBytesContentsList().stream().map(ByteString::toByteArray)
                    .toArray(byte[][]::new);
            case FP16, BF16 -> throw InferenceException.invalid("input " + name + " contents: "
                    + type + " (expected: raw_input_contents; " + type
                    + " has no typed contents field)");
        };
        return Tensor.of(name, type, shape, data, parameters);
    }

    /** Typed contents for a tensor, or {@code null} for FP16/BF16 (the caller then sends raw). */
    static InferTensorContents toContents(Tensor tensor) {
        InferTensorContents.Builder out = InferTensorContents.newBuilder();
        Object data = tensor.data();
        switch (tensor.datatype()) {
            case BOOL -> {
                for (boolean b : (boolean[]) data) {
                    out.addBoolContents(b);
                }
            }
            case INT8 -> {
                for (byte b : (byte[]) data) {
                    out.addIntContents(b);
                }
            }
            case UINT8 -> {
                for (byte b : (byte[]) data) {
                    out.addUintContents(b & 0xFF);
                }
            }
            case INT16 -> {
                for (short s : (short[]) data) {
                    out.addIntContents(s);
                }
            }
            case UINT16 -> {
                for (short s : (short[]) data) {
                    out.addUintContents(s & 0xFFFF);
                }
            }
            case INT32 -> {
                for (int i : (int[]) data) {
                    out.addIntContents(i);
                }
            }
            case UINT32 -> {
                for (int i : (int[]) data) {
                    out.addUintContents(i);
                }
            }
            case INT64 -> {
                for (long l : (long[]) data) {
                    out.addInt64Contents(l);
                }
            }
            case UINT64 -> {
                for (long l : (long[]) data) {
                    out.addUint64Contents(l);
                }
            }
            case FP32 -> {
                for (float f : (float[]) data) {
                    out.addFp32Contents(f);
                }
            }
            case FP64 -> {
                for (double d : (double[]) data) {
                    out.addFp64Contents(d);
                }
            }
            case BYTES -> {
                for (byte[] b : (byte[][]) data) {
                    out.addBytesContents(ByteString.copyFrom(b));
                }
            }
            case FP16, BF16 -> {
                return null;
            }
        }
        return out.build();
    }

    /** Exactly the field of the datatype may hold elements; anything else is a client mistake. */
    private static void requireOnly(String name, DataType type, InferTensorContents in) {
        String expected = field(type);
        check(name, expected, "bool_contents", in.getBoolContentsCount());
        check(name, expected, "int_contents", in.getIntContentsCount());
        check(name, expected, "int64_contents", in.getInt64ContentsCount());
        check(name, expected, "uint_contents", in.getUintContentsCount());
        check(name, expected, "uint64_contents", in.getUint64ContentsCount());
        check(name, expected, "fp32_contents", in.getFp32ContentsCount());
        check(name, expected, "fp64_contents", in.getFp64ContentsCount());
        check(name, expected, "bytes_contents", in.getBytesContentsCount());
    }

    private static void check(String name, String expected, String field, int count) {
        if (count > 0 && !field.equals(expected)) {
            throw InferenceException.invalid("input " + name + " contents." + field + ": " + count
                    + " elements (expected: " + (expected == null ? "raw_input_contents" : expected)
                    + " for its datatype)");
        }
    }

    private static String field(DataType type) {
        return switch (type) {
            case BOOL -> "bool_contents";
            case INT8, INT16, INT32 -> "int_contents";
            case INT64 -> "int64_contents";
            case UINT8, UINT16, UINT32 -> "uint_contents";
            case UINT64 -> "uint64_contents";
            case FP32 -> "fp32_contents";
            case FP64 -> "fp64_contents";
            case BYTES -> "bytes_contents";
            case FP16, BF16 -> null;
        };
    }

    private static boolean[] bools(List<Boolean> in) {
        boolean[] out = new boolean[in.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = in.get(i);
        }
        return out;
    }

    private static byte[] bytes(String name, DataType type, List<Integer> in) {
        byte[] out = new byte[in.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) inRange(name, type, i, in.get(i));
        }
        return out;
    }

    private static short[] shorts(String name, DataType type, List<Integer> in) {
        short[] out = new short[in.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) inRange(name, type, i, in.get(i));
        }
        return out;
    }

    private static int inRange(String name, DataType type, int index, int value) {
        long min = switch (type) {
            case INT8 -> Byte.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            default -> 0;
        };
        long max = switch (type) {
            case INT8 -> Byte.MAX_VALUE;
            case INT16 -> Short.MAX_VALUE;
            case UINT8 -> 0xFF;
            default -> 0xFFFF;
        };
        long widened = type.isUnsigned() ? Integer.toUnsignedLong(value) : value;
        if (widened < min || widened > max) {
            throw InferenceException.invalid("input " + name + " contents[" + index + "]: "
                    + widened + " (expected: " + type + " in [" + min + ", " + max + "])");
        }
        return value;
    }

    private static int[] ints(List<Integer> in) {
        int[] out = new int[in.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = in.get(i);
        }
        return out;
    }

    private static long[] longs(List<Long> in) {
        long[] out = new long[in.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = in.get(i);
        }
        return out;
    }

    // FP32 and FP64 are the bulk of real tensors: read them through the unboxed getters.
    private static float[] floats(InferTensorContents in) {
        float[] out = new float[in.getFp32ContentsCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = in.getFp32Contents(i);
        }
        return out;
    }

    private static double[] doubles(InferTensorContents in) {
        double[] out = new double[in.getFp64ContentsCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = in.getFp64Contents(i);
        }
        return out;
    }
}
