package dev.modelgate.server.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.api.DataType;
import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestDecodingTest {

    private static InferenceRequest read(String json) {
        return OipJson.readInferenceRequest(json.getBytes(StandardCharsets.UTF_8));
    }

    private static Tensor input(String datatype, String shape, String data) {
        return read("{\"inputs\":[{\"name\":\"t\",\"datatype\":\"" + datatype + "\",\"shape\":"
                + shape + ",\"data\":" + data + "}]}").inputs().get(0);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> rejects(String json) {
        return assertThatThrownBy(() -> read(json))
                .isInstanceOf(InferenceException.class)
                .satisfies(e -> assertThat(((InferenceException) e).kind())
                        .isEqualTo(ErrorKind.INVALID_ARGUMENT));
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> rejectsData(String datatype,
            String shape, String data) {
        return rejects("{\"inputs\":[{\"name\":\"t\",\"datatype\":\"" + datatype + "\",\"shape\":"
                + shape + ",\"data\":" + data + "}]}");
    }

    @Test
    void decodesTheWholeRequest() {
        InferenceRequest request = read("""
                {"id": "42", "model_name": "ignored",
                 "parameters": {"s": "x", "n": 7, "f": 0.5, "b": true},
                 "inputs": [{"name": "x", "datatype": "FP32", "shape": [2, 2],
                             "parameters": {"p": 1}, "data": [[1, 2], [3.5, 4]]}],
                 "outputs": [{"name": "y", "parameters": {"binary_data": false}}, {"name": "z"}]}
                """);
        assertThat(request.id()).isEqualTo("42");
        assertThat(request.parameters()).containsExactly(Map.entry("s", "x"), Map.entry("n", 7L),
                Map.entry("f", 0.5), Map.entry("b", true));
        Tensor x = request.inputs().get(0);
        assertThat(x.name()).isEqualTo("x");
        assertThat(x.shape()).containsExactly(2, 2);
        assertThat(x.data(float[].class)).containsExactly(1f, 2f, 3.5f, 4f);
        assertThat(x.parameters()).containsEntry("p", 1L);
        assertThat(request.outputs()).extracting(o -> o.name()).containsExactly("y", "z");
        assertThat(request.outputs().get(0).parameters()).containsEntry("binary_data", false);
    }

    @Test
    void nestedAndFlatDataAreTheSame() {
        assertThat(input("INT32", "[2,3]", "[[1,2,3],[4,5,6]]"))
                .isEqualTo(input("INT32", "[2,3]", "[1,2,3,4,5,6]"));
    }

    @Test
    void dataBeforeDatatypeAndShapeIsBuffered() {
        Tensor t = read("{\"inputs\":[{\"data\":[[1,2],[3,4]],\"name\":\"t\",\"shape\":[2,2],"
                + "\"datatype\":\"INT64\"}]}").inputs().get(0);
        assertThat(t.data(long[].class)).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void decodesEveryJsonDatatype() {
        assertThat(input("BOOL", "[3]", "[true,false,true]").data(boolean[].class))
                .containsExactly(true, false, true);
        assertThat(input("UINT8", "[2]", "[0,255]").data(byte[].class))
                .containsExactly((byte) 0, (byte) 255);
        assertThat(input("UINT16", "[2]", "[0,65535]").data(short[].class))
                .containsExactly((short) 0, (short) 65535);
        assertThat(input("UINT32", "[2]", "[0,4294967295]").data(int[].class))
                .containsExactly(0, -1);
        assertThat(input("UINT64", "[2]", "[0,18446744073709551615]").data(long[].class))
                .containsExactly(0L, -1L);
        assertThat(input("INT8", "[2]", "[-128,127]").data(byte[].class))
                .containsExactly((byte) -128, (byte) 127);
        assertThat(input("INT16", "[2]", "[-32768,32767]").data(short[].class))
                .containsExactly((short) -32768, (short) 32767);
        assertThat(input("INT32", "[2]", "[-2147483648,2147483647]").data(int[].class))
                .containsExactly(Integer.MIN_VALUE, Integer.MAX_VALUE);
        assertThat(input("INT64", "[2]", "[-9223372036854775808,9223372036854775807]")
                .data(long[].class)).containsExactly(Long.MIN_VALUE, Long.MAX_VALUE);
        assertThat(input("FP32", "[3]", "[1,-2.5,1e10]").data(float[].class))
                .containsExactly(1f, -2.5f, 1e10f);
        assertThat(input("FP64", "[2]", "[1e300,-0.1]").data(double[].class))
                .containsExactly(1e300, -0.1);
        byte[][] bytes = input("BYTES", "[2]", "[\"héllo\",\"\"]").data(byte[][].class);
        assertThat(new String(bytes[0], StandardCharsets.UTF_8)).isEqualTo("héllo");
        assertThat(bytes[1]).isEmpty();
    }

    @Test
    void fp32LiteralsRoundOnceToTheNearestFloat() {
        // Half an ulp above 1 + 2^-23, less a hair: nearest float 1 + 2^-23; through a double the
        // hair is lost (the double is the exact midpoint) and the tie rounds to 1 + 2^-22.
        String literal = "1.00000017881393432617187499";
        assertThat((float) Double.parseDouble(literal)).isEqualTo(Math.nextUp(Math.nextUp(1f)));
        assertThat(input("FP32", "[1]", "[" + literal + "]").data(float[].class))
                .containsExactly(Float.parseFloat(literal))
                .containsExactly(Math.nextUp(1f));
    }

    @Test
    void emptyTensorsAndScalarsDecode() {
        assertThat(input("FP32", "[0,3]", "[]").elementCount()).isZero();
        assertThat(input("INT32", "[]", "[7]").data(int[].class)).containsExactly(7);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            UINT8  | 256                  | input t data[0]: 256 (expected: an integer in [0, 255] for UINT8)
            UINT8  | -1                   | input t data[0]: -1 (expected: an integer in [0, 255] for UINT8)
            UINT16 | 65536                | (expected: an integer in [0, 65535] for UINT16)
            UINT32 | 4294967296           | (expected: an integer in [0, 4294967295] for UINT32)
            UINT64 | 18446744073709551616 | (expected: an integer in [0, 18446744073709551615] for UINT64)
            UINT64 | -1                   | (expected: an integer in [0, 18446744073709551615] for UINT64)
            INT8   | 128                  | (expected: an integer in [-128, 127] for INT8)
            INT8   | -129                 | (expected: an integer in [-128, 127] for INT8)
            INT16  | 32768                | (expected: an integer in [-32768, 32767] for INT16)
            INT32  | 2147483648           | (expected: an integer in [-2147483648, 2147483647] for INT32)
            INT64  | 9223372036854775808  | (expected: an integer in [-9223372036854775808, 9223372036854775807] for INT64)
            INT32  | 1.5                  | input t data[0]: 1.5 (expected: an integer in
            INT64  | "7"                  | input t data[0]: "7" (expected: an integer in
            BOOL   | 1                    | input t data[0]: 1 (expected: true or false for BOOL)
            FP32   | "NaN"                | input t data[0]: "NaN" (expected: a number for FP32)
            FP32   | 1e39                 | input t data[0]: 1e39 (expected: a number within
            FP32   | 1e999                | input t data[0]: 1e999 (expected: a number within +-3.4028235E38 for FP32)
            FP32   | -1e999               | input t data[0]: -1e999 (expected: a number within +-3.4028235E38 for FP32)
            FP32   | -3.5e38              | input t data[0]: -3.5e38 (expected: a number within
            FP64   | 1e999                | input t data[0]: 1e999 (expected: a number within +-1.7976931348623157E308 for FP64)
            FP64   | -1e309               | input t data[0]: -1e309 (expected: a number within
            INT16  | -32769               | (expected: an integer in [-32768, 32767] for INT16)
            UINT16 | -1                   | (expected: an integer in [0, 65535] for UINT16)
            UINT32 | -1                   | (expected: an integer in [0, 4294967295] for UINT32)
            INT32  | -2147483649          | (expected: an integer in [-2147483648, 2147483647] for INT32)
            INT64  | -9223372036854775809 | (expected: an integer in [-9223372036854775808, 9223372036854775807] for INT64)
            INT64  | 1e3                  | input t data[0]: 1e3 (expected: an integer in
            FP64   | true                 | input t data[0]: true (expected: a number for FP64)
            BYTES  | 5                    | input t data[0]: 5 (expected: a string for BYTES)
            FP32   | null                 | input t data[0]: null (expected: a number for FP32)
            FP32   | {}                   | input t data[0]: {...} (expected: a number for FP32)
            """)
    void rejectsValuesThatDoNotFitTheDatatype(String datatype, String value, String message) {
        rejectsData(datatype, "[1]", "[" + value + "]").hasMessageContaining(message);
    }

    @Test
    void reportsTheFlatIndexOfABadElement() {
        rejectsData("INT8", "[2,2]", "[[1,2],[3,300]]")
                .hasMessageStartingWith("input t data[3]: 300");
    }

    @Test
    void reportsTheFlatIndexOfAnInfiniteFloat() {
        rejectsData("FP32", "[2,2]", "[[1,2],[3,1e999]]")
                .hasMessageStartingWith("input t data[3]: 1e999 (expected: a number within");
    }

    @Test
    void acceptsTheLargestFiniteFloats() {
        assertThat(input("FP32", "[2]", "[3.4028235e38,-3.4028235e38]").data(float[].class))
                .containsExactly(Float.MAX_VALUE, -Float.MAX_VALUE);
        assertThat(input("FP64", "[1]", "[1.7976931348623157e308]").data(double[].class))
                .containsExactly(Double.MAX_VALUE);
    }

    @Test
    void elementCountMustEqualTheShapeProduct() {
        rejectsData("FP32", "[2,2]", "[1,2,3]")
                .hasMessage("input t data: 3 elements (expected: 4 for shape [2, 2])");
        rejectsData("FP32", "[2,2]", "[[1,2],[3,4],[5,6]]")
                .hasMessage("input t data: 6 elements (expected: 4 for shape [2, 2])");
    }

    @Test
    void halfPrecisionNeedsTheBinaryExtension() {
        rejectsData("FP16", "[1]", "[1.0]").hasMessageContaining("use the binary data extension");
        rejectsData("BF16", "[1]", "[1.0]").hasMessageContaining("use the binary data extension");
    }

    @Test
    void unknownDatatypeListsTheKnownOnes() {
        rejectsData("FLOAT", "[1]", "[1]").hasMessageStartingWith("input t datatype: FLOAT (expected one of [BOOL");
        rejectsData("fp32", "[1]", "[1]").hasMessageStartingWith("input t datatype: fp32");
    }

    @Test
    void shapeMustBeNonNegativeIntegers() {
        rejectsData("FP32", "[-1]", "[1]").hasMessage("input t shape[0]: -1 (expected: a non-negative integer)");
        rejectsData("FP32", "[1.5]", "[1]").hasMessage("input t shape[0]: 1.5 (expected: a non-negative integer)");
        rejectsData("FP32", "3", "[1]").hasMessage("input t shape: 3 (expected: an array)");
    }

    @Test
    void aHugeShapeIsRefusedBeforeAllocating() {
        rejectsData("FP64", "[100000,100000]", "[1]").hasMessageContaining("input t shape: [100000, 100000]");
        rejectsData("FP64", "[1000000000000]", "[1]").hasMessageContaining("input t shape: [1000000000000]");
    }

    @Test
    void dataMustBeAnArray() {
        rejectsData("FP32", "[1]", "1").hasMessage("input t data: 1 (expected: an array, nested or flat)");
    }

    @Test
    void missingFieldsAreNamed() {
        rejects("{}").hasMessage("inputs: missing (expected: an array of at least one input)");
        rejects("{\"inputs\": []}").hasMessageStartingWith("inputs: [] (expected: at least one input)");
        rejects("{\"inputs\":[{\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}]}")
                .hasMessage("inputs[0] name: missing (expected: a string)");
        rejects("{\"inputs\":[{\"name\":\"t\",\"shape\":[1],\"data\":[1]}]}")
                .hasMessageStartingWith("input t datatype: missing (expected: one of [BOOL");
        rejects("{\"inputs\":[{\"name\":\"t\",\"datatype\":\"FP32\",\"data\":[1]}]}")
                .hasMessage("input t shape: missing (expected: an array of non-negative integers)");
        rejects("{\"inputs\":[{\"name\":\"t\",\"datatype\":\"FP32\",\"shape\":[1]}]}")
                .hasMessage("input t data: missing (expected: an array of FP32 values)");
        rejects("{\"inputs\":[{\"name\":\"t\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}],"
                + "\"outputs\":[{}]}").hasMessage("outputs[0].name: missing (expected: a string)");
    }

    @Test
    void binaryInputsNeedTheHeaderLength() {
        rejects("{\"inputs\":[{\"name\":\"t\",\"datatype\":\"FP32\",\"shape\":[1],"
                + "\"parameters\":{\"binary_data_size\":4}}]}")
                .hasMessageContaining("input t parameters.binary_data_size: 4 (expected: an"
                        + " Inference-Header-Content-Length header");
    }

    @Test
    void wrongJsonTypesAreNamed() {
        rejects("{\"id\": 42, \"inputs\": []}").hasMessage("id: 42 (expected: a string)");
        rejects("{\"inputs\": {}}").hasMessage("inputs: {...} (expected: an array)");
        rejects("{\"inputs\": [1]}").hasMessageStartingWith("inputs[0]: 1 (expected: an object");
        rejects("{\"inputs\":[{\"name\":7}]}").hasMessage("inputs[0].name: 7 (expected: a string)");
        rejects("{\"parameters\": {\"k\": [1]}, \"inputs\": []}")
                .hasMessage("parameters.k: [...] (expected: a string, a 64-bit number or a boolean)");
        rejects("{\"parameters\": {\"k\": null}, \"inputs\": []}")
                .hasMessageStartingWith("parameters.k: null");
        rejects("{\"parameters\": 3, \"inputs\": []}").hasMessage("parameters: 3 (expected: an object)");
        rejects("{\"outputs\": [\"y\"], \"inputs\": []}")
                .hasMessage("outputs[0]: \"y\" (expected: an object with a name)");
    }

    @Test
    void duplicateInputNamesAreRejected() {
        String t = "{\"name\":\"t\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}";
        rejects("{\"inputs\":[" + t + "," + t + "]}").hasMessageContaining("duplicate names");
    }

    @Test
    void malformedJsonIsOneInvalidArgument() {
        rejects("").hasMessage("body: empty (expected: an $inference_request JSON object)");
        rejects("{\"inputs\": [").hasMessageStartingWith("body: malformed JSON at line 1");
        rejects("{\"inputs\": [}").hasMessageStartingWith("body: malformed JSON");
        rejects("[1]").hasMessage("body: [...] (expected: an $inference_request JSON object)");
        rejects("{\"id\":\"a\",\"id\":\"b\",\"inputs\":[]}").hasMessageContaining("Duplicate field 'id'");
        rejects("{\"inputs\":[{\"name\":\"t\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}]} {}")
                .hasMessage("body: {...} after the request object (expected: nothing)");
        rejects("nonsense").hasMessageStartingWith("body: malformed JSON");
    }

    @Test
    void deepNestingIsBounded() {
        String deep = "[".repeat(70) + "1" + "]".repeat(70);
        rejectsData("FP32", "[1]", deep).hasMessageContaining("(expected: at most 64 levels)");
    }

    @Test
    void everyDatatypeHasAnAnswer() {
        for (DataType type : DataType.values()) {
            String value = switch (type) {
                case BOOL -> "true";
                case BYTES -> "\"a\"";
                default -> "1";
            };
            if (type.isHalfPrecision()) {
                rejectsData(type.name(), "[1]", "[" + value + "]");
            } else {
                assertThat(input(type.name(), "[1]", "[" + value + "]").datatype()).isEqualTo(type);
            }
        }
    }
}
