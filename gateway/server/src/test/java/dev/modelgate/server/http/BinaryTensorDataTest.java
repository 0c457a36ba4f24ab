package dev.modelgate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.api.DataType;
import dev.modelgate.api.Tensor;
import dev.modelgate.server.binary.TensorBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The binary tensor data extension through the whole REST pipeline on an {@link EmbeddedChannel}
 * (no socket), against the echo stub: bodies are compared byte for byte.
 */
class BinaryTensorDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StubInferenceService service = new StubInferenceService();
    private EmbeddedChannel server;
    private EmbeddedChannel client;

    @BeforeEach
    void open() {
        server = new EmbeddedChannel();
        server.pipeline().addLast(new HttpServerInitializer(
                new OipRestService(service, Runnable::run).routes(), new ErrorMapper(), 1 << 20,
                TimeUnit.SECONDS.toNanos(60), TimeUnit.SECONDS.toNanos(5), System::nanoTime));
        client = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));
    }

    @AfterEach
    void close() {
        server.finishAndReleaseAll();
        client.finishAndReleaseAll();
    }

    record Answer(int status, byte[] body, String contentType, String headerLength) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() throws Exception {
            int length = headerLength == null ? body.length : Integer.parseInt(headerLength);
            return JSON.readTree(Arrays.copyOf(body, length));
        }

        byte[] binary() {
            return Arrays.copyOfRange(body, Integer.parseInt(headerLength), body.length);
        }
    }

    /** POSTs JSON followed by binary, with the header giving the JSON length (null: no header). */
    private Answer infer(String json, byte[] binary, Integer headerLength) {
        byte[] head = json.getBytes(StandardCharsets.UTF_8);
        int length = head.length + binary.length;
        String request = "POST /v2/models/echo/infer HTTP/1.1\r\nHost: t\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Length: " + length + "\r\n"
                + (headerLength == null ? "" : "Inference-Header-Content-Length: " + headerLength + "\r\n")
                + "\r\n";
        server.writeInbound(Unpooled.wrappedBuffer(request.getBytes(StandardCharsets.US_ASCII),
                head, binary));
        server.runPendingTasks();
        ByteBuf bytes;
        while ((bytes = server.readOutbound()) != null) {
            client.writeInbound(bytes);
        }
        List<Answer> answers = new ArrayList<>();
        FullHttpResponse response;
        while ((response = client.readInbound()) != null) {
            answers.add(new Answer(response.status().code(), ByteBufUtil.getBytes(response.content()),
                    response.headers().get("content-type"),
                    response.headers().get("inference-header-content-length")));
            response.release();
        }
        assertThat(answers).hasSize(1);
        return answers.get(0);
    }

    private Answer infer(String json, byte[] binary) {
        return infer(json, binary, json.getBytes(StandardCharsets.UTF_8).length);
    }

    private static Tensor sample(DataType type) {
        Object data = switch (type) {
            case BOOL -> new boolean[] {true, false, true};
            case UINT8, INT8 -> new byte[] {(byte) 0xFF, 0, 127};
            case UINT16, INT16, FP16, BF16 -> new short[] {(short) 0x3C00, (short) 0xFFFF, 1};
            case UINT32, INT32 -> new int[] {-1, 0, Integer.MAX_VALUE};
            case UINT64, INT64 -> new long[] {-1, Long.MIN_VALUE, 3};
            case FP32 -> new float[] {1.5f, Float.NaN, -0f};
            case FP64 -> new double[] {Double.MAX_VALUE, 0.1, Double.NEGATIVE_INFINITY};
            case BYTES -> new byte[][] {{(byte) 0xC3, 0x28}, {}, "abc".getBytes(StandardCharsets.UTF_8)};
        };
        return Tensor.of("in_" + type, type, new long[] {3}, data);
    }

    @Test
    void everyDatatypeRoundTripsByteForByte() throws Exception {
        StringBuilder inputs = new StringBuilder();
        ByteArrayOutputStream binary = new ByteArrayOutputStream();
        for (DataType type : DataType.values()) {
            Tensor tensor = sample(type);
            byte[] bytes = TensorBytes.encode(tensor);
            inputs.append(inputs.length() == 0 ? "" : ",").append("{\"name\":\"").append(tensor.name())
                    .append("\",\"datatype\":\"").append(type).append("\",\"shape\":[3],")
                    .append("\"parameters\":{\"binary_data_size\":").append(bytes.length).append("}}");
            binary.write(bytes);
        }
        Answer answer = infer("{\"id\":\"b1\",\"parameters\":{\"binary_data_output\":true},\"inputs\":["
                + inputs + "]}", binary.toByteArray());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo("application/octet-stream");
        assertThat(answer.binary()).isEqualTo(binary.toByteArray());
        JsonNode outputs = answer.json().get("outputs");
        assertThat(outputs).hasSize(DataType.values().length);
        for (JsonNode output : outputs) {
            assertThat(output.has("data")).isFalse();
            DataType type = DataType.valueOf(output.get("datatype").asText());
            assertThat(output.get("parameters").get("binary_data_size").asLong())
                    .isEqualTo(TensorBytes.size(sample(type)));
        }
        assertThat(answer.json().get("id").asText()).isEqualTo("b1");
    }

    @Test
    void jsonAndBinaryInputsMixAndOutputsGoBinaryOnlyWhenAsked() throws Exception {
        Tensor ints = Tensor.of("b", DataType.INT32, new long[] {2}, new int[] {7, -7});
        String json = "{\"inputs\":["
                + "{\"name\":\"a\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[1.5,2.5]},"
                + "{\"name\":\"b\",\"datatype\":\"INT32\",\"shape\":[2],\"parameters\":{\"binary_data_size\":8}}],"
                + "\"outputs\":[{\"name\":\"a\",\"parameters\":{\"binary_data\":true}},{\"name\":\"b\"}]}";
        Answer answer = infer(json, TensorBytes.encode(ints));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.binary()).isEqualTo(new byte[] {0, 0, (byte) 0xC0, 0x3F, 0, 0, 0x20, 0x40});
        JsonNode outputs = answer.json().get("outputs");
        assertThat(outputs.get(0).get("parameters").get("binary_data_size").asInt()).isEqualTo(8);
        assertThat(outputs.get(1).get("data").toString()).isEqualTo("[7,-7]");
        assertThat(outputs.get(1).has("parameters")).isFalse();
    }

    @Test
    void aBinaryRequestWithoutBinaryOutputsIsAnsweredInJson() {
        Answer answer = infer("{\"inputs\":[{\"name\":\"b\",\"datatype\":\"UINT8\",\"shape\":[2],"
                + "\"parameters\":{\"binary_data_size\":2}}]}", new byte[] {(byte) 200, 1});
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headerLength()).isNull();
        assertThat(answer.contentType()).isEqualTo("application/json");
        assertThat(answer.text()).contains("\"data\":[200,1]");
    }

    @Test
    void malformedBinaryRequestsAre400AndTheConnectionGoesOn() {
        String fp32 = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2],"
                + "\"parameters\":{\"binary_data_size\":%d}}]}";
        String bytes = "{\"inputs\":[{\"name\":\"s\",\"datatype\":\"BYTES\",\"shape\":[1],"
                + "\"parameters\":{\"binary_data_size\":%d}}]}";
        assertBad(infer(fp32.formatted(8), new byte[8], 10_000), "Inference-Header-Content-Length: 10000");
        assertBad(infer(fp32.formatted(8), new byte[8], 0), "Inference-Header-Content-Length: 0");
        assertBad(infer(fp32.formatted(8), new byte[8], null),
                "binary_data_size: 8 (expected: an Inference-Header-Content-Length header");
        assertBad(infer(fp32.formatted(6), new byte[6]), "6 bytes (expected: 8 for FP32 shape [2])");
        assertBad(infer(fp32.formatted(8), new byte[7]),
                "binary_data_size: 8 (expected: at most the 7 bytes of binary data left)");
        assertBad(infer(fp32.formatted(8), new byte[9]), "1 bytes after the last binary input");
        assertBad(infer(fp32.formatted(-8), new byte[0]), "(expected: a non-negative integer)");
        assertBad(infer(bytes.formatted(6), new byte[] {5, 0, 0, 0, 'a', 'b'}),
                "length 5 (expected: at most the 2 bytes left)");
        assertBad(infer("{\"inputs\":[{\"name\":\"h\",\"datatype\":\"FP16\",\"shape\":[1],\"data\":[1.0]}]}",
                new byte[0], null), "FP16 (expected: a JSON datatype; use the binary data extension");
        assertBad(infer("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1],"
                + "\"parameters\":{\"binary_data_size\":4}}]}", new byte[4]),
                "(expected: absent when the input has JSON data)");
        Answer half = infer("{\"inputs\":[{\"name\":\"h\",\"datatype\":\"BF16\",\"shape\":[1],"
                + "\"parameters\":{\"binary_data_size\":2}}],\"parameters\":{\"binary_data_output\":true}}",
                new byte[] {(byte) 0x80, 0x3F});
        assertThat(half.status()).isEqualTo(200);
        assertThat(half.binary()).containsExactly(0x80, 0x3F);
        assertThat(server.isOpen()).isTrue();
    }

    private static void assertBad(Answer answer, String message) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertThat(answer.text()).contains(message);
    }
}
