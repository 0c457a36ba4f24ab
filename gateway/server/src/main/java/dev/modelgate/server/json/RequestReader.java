package dev.modelgate.server.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.RequestedOutput;
import dev.modelgate.api.Shapes;
import dev.modelgate.api.Tensor;
import dev.modelgate.server.binary.ExternalTensors;
import dev.modelgate.server.binary.TensorBytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes {@code $inference_request} with Jackson's streaming parser: one pass, tensors straight
 * into typed arrays. Unknown fields (such as Triton's {@code model_name}) are skipped. A tensor's
 * {@code data} usually comes last; when it comes before {@code datatype} or {@code shape} it is
 * buffered as tokens and read once they are known. Every problem is one INVALID_ARGUMENT.
 */
final class RequestReader {
    private static final int MAX_TEXT = 64;

    private RequestReader() {
    }

    static InferenceRequest read(byte[] body) {
        return read(body, ExternalTensors.NONE);
    }

    /** As {@link #read(byte[])}; inputs held outside the body come from {@code external}. */
    static InferenceRequest read(byte[] body, ExternalTensors external) {
        return read(body, body.length, null, external);
    }

    /**
     * Decodes a binary tensor data extension body: {@code jsonLength} bytes of JSON, then the
     * binary inputs back to back, in the order of the inputs that have {@code binary_data_size}.
     */
    static InferenceRequest readWithBinary(byte[] body, int jsonLength, ExternalTensors external) {
        ByteBuffer binary = ByteBuffer.wrap(body, jsonLength, body.length - jsonLength).slice();
        InferenceRequest request = read(body, jsonLength, binary, external);
        if (binary.hasRemaining()) {
            throw InferenceException.invalid("binary data: " + binary.remaining()
                    + " bytes after the last binary input (expected: exactly the inputs'"
                    + " binary_data_size bytes)");
        }
        return request;
    }

    private static InferenceRequest read(byte[] body, int jsonLength, ByteBuffer binary,
            ExternalTensors external) {
        if (jsonLength == 0) {
            throw InferenceException.invalid("body: empty (expected: an $inference_request JSON object)");
        }
        try (JsonParser parser = JsonLimits.json().createParser(body, 0, jsonLength)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw InferenceException.invalid("body: " + text(parser)
                        + " (expected: an $inference_request JSON object)");
            }
            InferenceRequest request = readRequest(parser, jsonLength, binary, external);
            if (parser.nextToken() != null) {
                throw InferenceException.invalid("body: " + text(parser)
                        + " after the request object (expected: nothing)");
            }
            return request;
        } catch (StreamReadException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + " column " + e.getLocation().getColumnNr();
            throw InferenceException.invalid("body: malformed JSON" + where + ", "
                    + truncate(e.getOriginalMessage().lines().findFirst().orElse(""))
                    + " (expected: valid JSON)");
        } catch (java.io.CharConversionException e) {
            // Jackson guesses UTF-16/32 from the first bytes and then fails on what follows; found by
            // fuzzing (RestRequestFuzzTest): a client's bytes, so a 400, not a 500.
            throw InferenceException.invalid("body: not a readable JSON text (expected: JSON in UTF-8)");
        } catch (IOException e) {
            InferenceException refused = JsonLimits.refusal(e, "body");
            if (refused != null) {
                throw refused;
            }
            throw new UncheckedIOException(e);
        }
    }

    private static InferenceRequest readRequest(JsonParser parser, int maxElements,
            ByteBuffer binary, ExternalTensors external) throws IOException {
        String id = null;
        Map<String, Object> parameters = Map.of();
        List<Tensor> inputs = null;
        List<RequestedOutput> outputs = List.of();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "id" -> id = string(parser, "id");
                case "parameters" -> parameters = parameters(parser, "parameters");
                case "inputs" -> inputs = tensors(parser, "inputs", maxElements, binary, external);
                case "outputs" -> outputs = outputs(parser);
                default -> parser.skipChildren();
            }
        }
        if (inputs == null) {
            throw InferenceException.invalid("inputs: missing (expected: an array of at least one input)");
        }
        return new InferenceRequest(id, parameters, inputs, outputs);
    }

    /** An array of tensors ({@code inputs}, or a response's {@code outputs}). */
    static List<Tensor> tensors(JsonParser parser, String field, int maxElements, ByteBuffer binary)
            throws IOException {
        return tensors(parser, field, maxElements, binary, ExternalTensors.NONE);
    }

    private static List<Tensor> tensors(JsonParser parser, String field, int maxElements,
            ByteBuffer binary, ExternalTensors external) throws IOException {
        expectArray(parser, field);
        List<Tensor> inputs = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            String where = field + "[" + inputs.size() + "]";
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw InferenceException.invalid(where + ": " + text(parser)
                        + " (expected: an object with name, shape, datatype and data)");
            }
            inputs.add(input(parser, where, maxElements, binary, external));
        }
        return inputs;
    }

    private static Tensor input(JsonParser parser, String where, int maxElements,
            ByteBuffer binary, ExternalTensors external) throws IOException {
        String name = null;
        String datatype = null;
        long[] shape = null;
        Map<String, Object> parameters = Map.of();
        Object data = null;
        TokenBuffer pending = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            String label = name == null ? where : "input " + name;
            switch (field) {
                case "name" -> name = string(parser, where + ".name");
                case "datatype" -> datatype = string(parser, label + " datatype");
                case "shape" -> shape = shape(parser, label);
                case "parameters" -> parameters = parameters(parser, label + " parameters");
                case "data" -> {
                    if (name != null && datatype != null && shape != null) {
                        data = data(parser, name, datatype, shape, maxElements);
                    } else {
                        pending = TokenBuffer.asCopyOfValue(parser);
                    }
                }
                default -> parser.skipChildren();
            }
        }
        String label = name == null ? where : "input " + name;
        require(name, where + " name", "a string");
        require(datatype, label + " datatype", "one of " + Arrays.toString(DataType.values()));
        require(shape, label + " shape", "an array of non-negative integers");
        Object binarySize = parameters.get("binary_data_size");
        if (data == null && pending == null && binarySize == null
                && ExternalTensors.names(parameters)) {
            return external.read(name, datatypeOf(label, datatype), shape, parameters);
        }
        if (data == null && pending == null) {
            if (binarySize == null) {
                require(null, label + " data", "an array of " + datatype + " values");
            }
            return binaryInput(label, name, datatype, shape, parameters, binary);
        }
        if (binarySize != null) {
            throw InferenceException.invalid(label + " parameters.binary_data_size: " + binarySize
                    + " (expected: absent when the input has JSON data)");
        }
        if (pending != null) {
            try (JsonParser buffered = pending.asParser()) {
                buffered.nextToken();
                data = data(buffered, name, datatype, shape, maxElements);
            }
        }
        return Tensor.of(name, DataType.parse(datatype), shape, data, parameters);
    }

    private static DataType datatypeOf(String label, String datatype) {
        try {
            return DataType.parse(datatype);
        } catch (InferenceException e) {
            throw InferenceException.invalid(label + " " + e.getMessage());
        }
    }

    /** The input's next {@code binary_data_size} bytes of binary data, decoded by its datatype. */
    private static Tensor binaryInput(String label, String name, String datatype, long[] shape,
            Map<String, Object> parameters, ByteBuffer binary) {
        Object size = parameters.get("binary_data_size");
        if (binary == null) {
            throw InferenceException.invalid(label + " parameters.binary_data_size: " + size
                    + " (expected: an Inference-Header-Content-Length header giving the JSON length)");
        }
        if (!(size instanceof Long bytes) || bytes < 0) {
            throw InferenceException.invalid(label + " parameters.binary_data_size: " + size
                    + " (expected: a non-negative integer)");
        }
        if (bytes > binary.remaining()) {
            throw InferenceException.invalid(label + " parameters.binary_data_size: " + bytes
                    + " (expected: at most the " + binary.remaining() + " bytes of binary data left)");
        }
        DataType type;
        try {
            type = DataType.parse(datatype);
        } catch (InferenceException e) {
            throw InferenceException.invalid(label + " " + e.getMessage());
        }
        ByteBuffer slice = binary.slice().limit(bytes.intValue());
        binary.position(binary.position() + bytes.intValue());
        Map<String, Object> rest = new LinkedHashMap<>(parameters);
        rest.remove("binary_data_size");
        return TensorBytes.decode(name, type, shape, slice, rest);
    }

    private static Object data(JsonParser parser, String name, String datatype, long[] shape,
            int maxElements) throws IOException {
        String label = "input " + name;
        DataType type = datatype(label, datatype);
        int count;
        try {
            count = Shapes.elementCount(shape);
        } catch (InferenceException e) {
            throw InferenceException.invalid(label + " " + e.getMessage());
        }
        if (count > maxElements) {
            throw InferenceException.invalid(label + " shape: " + Arrays.toString(shape)
                    + " (expected: no more elements than the body's " + maxElements + " bytes hold)");
        }
        return TensorDataReader.read(parser, label, type, shape, count);
    }

    private static DataType datatype(String label, String datatype) {
        DataType type;
        try {
            type = DataType.parse(datatype);
        } catch (InferenceException e) {
            throw InferenceException.invalid(label + " " + e.getMessage());
        }
        if (type.isHalfPrecision()) {
            throw InferenceException.invalid(label + " datatype: " + type
                    + " (expected: a JSON datatype; use the binary data extension for FP16 and BF16)");
        }
        return type;
    }

    private static long[] shape(JsonParser parser, String label) throws IOException {
        expectArray(parser, label + " shape");
        long[] dims = new long[8];
        int rank = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT
                    || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    || parser.getLongValue() < 0) {
                throw InferenceException.invalid(label + " shape[" + rank + "]: " + text(parser)
                        + " (expected: a non-negative integer)");
            }
            if (rank == dims.length) {
                dims = Arrays.copyOf(dims, rank * 2);
            }
            dims[rank++] = parser.getLongValue();
        }
        return Arrays.copyOf(dims, rank);
    }

    private static List<RequestedOutput> outputs(JsonParser parser) throws IOException {
        expectArray(parser, "outputs");
        List<RequestedOutput> outputs = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            String where = "outputs[" + outputs.size() + "]";
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw InferenceException.invalid(where + ": " + text(parser)
                        + " (expected: an object with a name)");
            }
            String name = null;
            Map<String, Object> parameters = Map.of();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "name" -> name = string(parser, where + ".name");
                    case "parameters" -> parameters = parameters(parser, where + ".parameters");
                    default -> parser.skipChildren();
                }
            }
            require(name, where + ".name", "a string");
            outputs.add(new RequestedOutput(name, parameters));
        }
        return outputs;
    }

    static Map<String, Object> parameters(JsonParser parser, String label)
            throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw InferenceException.invalid(label + ": " + text(parser) + " (expected: an object)");
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonToken token = parser.nextToken();
            Object value = switch (token) {
                case VALUE_STRING -> parser.getText();
                case VALUE_TRUE, VALUE_FALSE -> token == JsonToken.VALUE_TRUE;
                case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? null : parser.getLongValue();
                case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
                default -> null;
            };
            if (value == null) {
                throw InferenceException.invalid(label + "." + key + ": " + text(parser)
                        + " (expected: a string, a 64-bit number or a boolean)");
            }
            parameters.put(key, value);
        }
        return parameters;
    }

    static String string(JsonParser parser, String label) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw InferenceException.invalid(label + ": " + text(parser) + " (expected: a string)");
        }
        return parser.getText();
    }

    private static void expectArray(JsonParser parser, String label) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw InferenceException.invalid(label + ": " + text(parser) + " (expected: an array)");
        }
    }

    static void require(Object value, String label, String expected) {
        if (value == null) {
            throw InferenceException.invalid(label + ": missing (expected: " + expected + ")");
        }
    }

    /** The current token as a client would recognise it in a message, truncated. */
    static String text(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_OBJECT -> "{...}";
            case START_ARRAY -> "[...]";
            case VALUE_STRING -> '"' + truncate(parser.getText()) + '"';
            default -> truncate(parser.getText());
        };
    }

    private static String truncate(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "...";
    }
}
