package dev.modelgate.server.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.Tensor;
import dev.modelgate.server.binary.ExternalTensors;
import dev.modelgate.server.binary.TensorBytes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Encodes {@code $inference_response}: outputs with flat {@code data}. Unsigned values are written
 * as their unsigned numbers; FP16 and BF16 outputs are widened to float numbers, since JSON has no
 * narrower type; BYTES must be UTF-8 to become JSON strings.
 */
final class ResponseWriter {
    private ResponseWriter() {
    }

    static void write(JsonGenerator out, InferenceResponse response) throws IOException {
        write(out, response, Set.of());
    }

    /**
     * As {@link #write(JsonGenerator, InferenceResponse)}; the outputs named in {@code binary} get
     * {@code parameters.binary_data_size} instead of {@code data} (the caller appends their bytes).
     */
    static void write(JsonGenerator out, InferenceResponse response, Set<String> binary)
            throws IOException {
        out.writeStartObject();
        out.writeStringField("model_name", response.modelName());
        if (response.modelVersion() != null) {
            out.writeStringField("model_version", response.modelVersion());
        }
        if (response.id() != null) {
            out.writeStringField("id", response.id());
        }
        if (!response.parameters().isEmpty()) {
            out.writeFieldName("parameters");
            parameters(out, response.parameters());
        }
        out.writeArrayFieldStart("outputs");
        for (Tensor output : response.outputs()) {
            tensor(out, output, binary.contains(output.name()));
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    static void parameters(JsonGenerator out, Map<String, Object> parameters) throws IOException {
        out.writeStartObject();
        for (Map.Entry<String, Object> entry : parameters.entrySet()) {
            out.writeFieldName(entry.getKey());
            Object value = entry.getValue();
            if (value instanceof Boolean b) {
                out.writeBoolean(b);
            } else if (value instanceof Long l) {
                out.writeNumber(l);
            } else if (value instanceof Double d) {
                out.writeNumber(d);
            } else {
                out.writeString(String.valueOf(value));
            }
        }
        out.writeEndObject();
    }

    static void tensor(JsonGenerator out, Tensor tensor, boolean binary)
            throws IOException {
        out.writeStartObject();
        out.writeStringField("name", tensor.name());
        out.writeStringField("datatype", tensor.datatype().name());
        out.writeArrayFieldStart("shape");
        for (int i = 0; i < tensor.rank(); i++) {
            out.writeNumber(tensor.dim(i));
        }
        out.writeEndArray();
        Map<String, Object> parameters = tensor.parameters();
        if (binary) {
            parameters = new LinkedHashMap<>(parameters);
            parameters.put("binary_data_size", TensorBytes.size(tensor));
        }
        if (!parameters.isEmpty()) {
            out.writeFieldName("parameters");
            parameters(out, parameters);
        }
        // An output written into shared memory carries only its metadata there, as in Triton.
        if (!binary && !ExternalTensors.names(parameters)) {
            out.writeFieldName("data");
            data(out, tensor);
        }
        out.writeEndObject();
    }

    private static void data(JsonGenerator out, Tensor tensor) throws IOException {
        Object data = tensor.data();
        int n = tensor.elementCount();
        out.writeStartArray(data, n);
        switch (tensor.datatype()) {
            case BOOL -> {
                boolean[] values = (boolean[]) data;
                for (boolean value : values) {
                    out.writeBoolean(value);
                }
            }
            case INT8 -> {
                for (byte value : (byte[]) data) {
                    out.writeNumber(value);
                }
            }
            case UINT8 -> {
                for (byte value : (byte[]) data) {
                    out.writeNumber(value & 0xFF);
                }
            }
            case INT16 -> {
                for (short value : (short[]) data) {
                    out.writeNumber(value);
                }
            }
            case UINT16 -> {
                for (short value : (short[]) data) {
                    out.writeNumber(value & 0xFFFF);
                }
            }
            case INT32 -> {
                for (int value : (int[]) data) {
                    out.writeNumber(value);
                }
            }
            case UINT32 -> {
                for (int value : (int[]) data) {
                    out.writeNumber(value & 0xFFFF_FFFFL);
                }
            }
            case INT64 -> {
                for (long value : (long[]) data) {
                    out.writeNumber(value);
                }
            }
            case UINT64 -> {
                for (long value : (long[]) data) {
                    out.writeNumber(Long.toUnsignedString(value));
                }
            }
            case FP32 -> {
                for (float value : (float[]) data) {
                    out.writeNumber(value);
                }
            }
            case FP64 -> {
                for (double value : (double[]) data) {
                    out.writeNumber(value);
                }
            }
            case FP16 -> {
                for (short value : (short[]) data) {
                    out.writeNumber(HalfFloats.fp16ToFloat(value));
                }
            }
            case BF16 -> {
                for (short value : (short[]) data) {
                    out.writeNumber(HalfFloats.bf16ToFloat(value));
                }
            }
            case BYTES -> bytes(out, tensor.name(), (byte[][]) data);
        }
        out.writeEndArray();
    }

    private static void bytes(JsonGenerator out, String name, byte[][] values) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        for (int i = 0; i < values.length; i++) {
            try {
                out.writeString(decoder.decode(ByteBuffer.wrap(values[i])).toString());
            } catch (CharacterCodingException e) {
                throw InferenceException.invalid("output " + name + " data[" + i + "]: "
                        + values[i].length + " bytes that are not UTF-8 (expected: UTF-8 text to"
                        + " send BYTES as JSON)");
            }
        }
    }
}
