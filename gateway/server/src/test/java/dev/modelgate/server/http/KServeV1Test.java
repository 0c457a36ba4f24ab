package dev.modelgate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.ServerMetadata;
import dev.modelgate.api.Tensor;
import dev.modelgate.api.TensorMetadata;
import dev.modelgate.server.service.InferenceService;
import dev.modelgate.server.service.ModelRef;
import dev.modelgate.server.service.RequestContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** KServe V1 through the whole REST pipeline on an {@link EmbeddedChannel}, no socket. */
class KServeV1Test {
    private final StubInferenceService stub = new StubInferenceService();
    private EmbeddedChannel server;
    private final EmbeddedChannel client =
            new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));

    private void open(InferenceService service) {
        server = new EmbeddedChannel();
        server.pipeline().addLast(new HttpServerInitializer(
                new OipRestService(service, Runnable::run).routes(), new ErrorMapper(), 1 << 20,
                TimeUnit.SECONDS.toNanos(60), TimeUnit.SECONDS.toNanos(5), System::nanoTime));
    }

    @AfterEach
    void close() {
        server.finishAndReleaseAll();
        client.finishAndReleaseAll();
    }

    record Answer(int status, String body, String revision) {
    }

    private Answer send(String method, String path, String body) {
        if (server == null) {
            open(stub);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        server.writeInbound(Unpooled.copiedBuffer(method + " " + path + " HTTP/1.1\r\nHost: t\r\n"
                + "Content-Length: " + bytes.length + "\r\n\r\n" + body, StandardCharsets.UTF_8));
        server.runPendingTasks();
        ByteBuf out;
        while ((out = server.readOutbound()) != null) {
            client.writeInbound(out);
        }
        FullHttpResponse response = client.readInbound();
        try {
            return new Answer(response.status().code(),
                    response.content().toString(StandardCharsets.UTF_8),
                    response.headers().get("x-modelgate-revision"));
        } finally {
            response.release();
        }
    }

    @Test
    void instancesInRowFormatArePredicted() {
        Answer answer = send("POST", "/v1/models/echo:predict", "{\"instances\": [[1, 2], [3, 4.5]]}");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"predictions\":[[1.0,2.0],[3.0,4.5]]}");
        assertThat(answer.revision()).isEqualTo("2");
    }

    @Test
    void inputsInColumnarFormatArePredicted() {
        Answer answer = send("POST", "/v1/models/echo:predict", "{\"inputs\": [5, 6, 7]}");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"predictions\":[5.0,6.0,7.0]}");
    }

    @Test
    void severalOutputsBecomeOneObjectPerRow() {
        stub.answer = (model, request) -> CompletableFuture.completedFuture(new InferenceResponse(
                "echo", "1", null, Map.of(), List.of(
                        Tensor.ofFloats("score", new long[] {2}, 0.25f, 0.75f),
                        Tensor.of("label", DataType.BYTES, new long[] {2, 1},
                                new byte[][] {"no".getBytes(StandardCharsets.UTF_8),
                                        "yes".getBytes(StandardCharsets.UTF_8)}))));
        Answer answer = send("POST", "/v1/models/echo:predict", "{\"instances\": [1, 2]}");
        assertThat(answer.body()).isEqualTo("{\"predictions\":[{\"score\":0.25,\"label\":[\"no\"]},"
                + "{\"score\":0.75,\"label\":[\"yes\"]}]}");
    }

    @Test
    void modelReadyAndList() {
        assertThat(send("GET", "/v1/models/echo", "")).isEqualTo(
                new Answer(200, "{\"name\":\"echo\",\"ready\":true}", null));
        assertThat(send("GET", "/v1/models", "").body()).isEqualTo("{\"models\":[\"echo\"]}");
        stub.ready = false;
        assertThat(send("GET", "/v1/models/echo", "").status()).isEqualTo(503);
        assertThat(send("GET", "/v1/models/nope", "").status()).isEqualTo(404);
    }

    @Test
    void badV1RequestsAre400sOr404s() {
        assertError(send("POST", "/v1/models/echo:predict", "{\"instances\": [1], \"inputs\": [1]}"),
                400, "both instances and inputs (expected: exactly one of them)");
        assertError(send("POST", "/v1/models/echo:predict", "{\"signature_name\": \"x\"}"),
                400, "neither instances and inputs");
        assertError(send("POST", "/v1/models/echo:predict", "{\"instances\": []}"),
                400, "(expected: a non-empty array of rows)");
        assertError(send("POST", "/v1/models/echo:predict", "{\"instances\": [[1, 2], [3]]}"),
                400, "instances: ");
        assertError(send("POST", "/v1/models/echo:predict", "{\"instances\": [{\"a\": 1}]}"),
                400, "named instances");
        assertError(send("POST", "/v1/models/echo:predict", "[1, 2]"), 400, "body: ARRAY");
        assertError(send("POST", "/v1/models/echo:predict", "{\"instances\": [\"a\"]}"), 400, "FP32");
        assertError(send("POST", "/v1/models/nope:predict", "{\"instances\": [1]}"), 404, "model: nope");
        assertThat(send("PUT", "/v1/models/echo:predict", "").status()).isEqualTo(405);
    }

    @Test
    void outOfRangeNumbersAre400sNamingTheElement() {
        assertError(send("POST", "/v1/models/echo:predict", "{\"instances\": [[1, 2], [3, 1e999]]}"),
                400, "instances: input x data[3]: 1E+999 (expected: a number within +-3.4028235E38 for FP32)");
        assertError(send("POST", "/v1/models/echo:predict", "{\"inputs\": [-1e999]}"),
                400, "data[0]: -1E+999 (expected: a number within");
        assertError(send("POST", "/v1/models/echo:predict", "{\"instances\": [1, 2, 1e39]}"),
                400, "data[2]: 1E+39 (expected: a number within");
        Answer largest = send("POST", "/v1/models/echo:predict", "{\"instances\": [3.4028235e38, 0.1]}");
        assertThat(largest.status()).as(largest.body()).isEqualTo(200);
        assertThat(largest.body()).contains("3.4028235E38", "0.1");
    }

    @Test
    void modelsWithSeveralInputsAreRefusedWithAPointerToV2() {
        open(new TwoInputs(stub));
        assertError(send("POST", "/v1/models/echo:predict", "{\"instances\": [1]}"), 400,
                "2 inputs [a:FP32[-1], b:FP32[-1]] (expected: exactly one for V1 :predict;"
                        + " use /v2/models/echo/infer)");
    }

    private static void assertError(Answer answer, int status, String message) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.body()).startsWith("{\"error\":").contains(message);
    }

    /** The stub with a two-input signature. */
    private record TwoInputs(StubInferenceService stub) implements InferenceService {
        @Override
        public ServerMetadata serverMetadata() {
            return stub.serverMetadata();
        }

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public List<String> modelNames() {
            return stub.modelNames();
        }

        @Override
        public ModelMetadata metadata(ModelRef model) {
            return new ModelMetadata("echo", List.of("1"), "stub", List.of(
                    new TensorMetadata("a", DataType.FP32, new long[] {-1}),
                    new TensorMetadata("b", DataType.FP32, new long[] {-1})), List.of());
        }

        @Override
        public boolean modelReady(ModelRef model) {
            return true;
        }

        @Override
        public CompletableFuture<InferenceResponse> infer(ModelRef model, InferenceRequest request,
                RequestContext context) {
            return stub.infer(model, request, context);
        }
    }
}
