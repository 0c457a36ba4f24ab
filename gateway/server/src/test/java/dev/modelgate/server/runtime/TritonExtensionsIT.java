package dev.modelgate.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.modelgate.runtime.testkit.AffineFixture;
import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.grpc.proto.DataType;
import dev.modelgate.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.modelgate.server.grpc.proto.InferParameter;
import dev.modelgate.server.grpc.proto.InferTensorContents;
import dev.modelgate.server.grpc.proto.LogSettingsRequest;
import dev.modelgate.server.grpc.proto.LogSettingsResponse;
import dev.modelgate.server.grpc.proto.ModelConfig;
import dev.modelgate.server.grpc.proto.ModelConfigRequest;
import dev.modelgate.server.grpc.proto.ModelInferRequest;
import dev.modelgate.server.grpc.proto.ModelInferResponse;
import dev.modelgate.server.grpc.proto.ModelInstanceGroup;
import dev.modelgate.server.grpc.proto.ModelStatistics;
import dev.modelgate.server.grpc.proto.ModelStatisticsRequest;
import dev.modelgate.server.host.RuntimeRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Triton's statistics, model configuration, classification and log settings on the runtime
 * server, over real HTTP and gRPC on 127.0.0.1: the counts match the requests sent exactly (the
 * warm-up inference is not a client request), both transports read the same numbers, the
 * classification text is Triton's in JSON, binary and gRPC answers.
 */
class TritonExtensionsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GOOD = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"FP32\","
            + "\"data\":[1,2,3]}]}";
    private static final String BAD = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\","
            + "\"data\":[1,2,3,4]}]}";

    @TempDir
    static Path repo;
    private static RuntimeServer server;
    private static ManagedChannel channel;
    private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub grpc;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .build();

    @BeforeAll
    static void start() throws IOException {
        for (String model : List.of("counted", "labelled")) {
            Files.createDirectories(repo.resolve(model));
            Files.writeString(repo.resolve(model + "/model.yaml"), "runtime: fake\ninstances: 2\n");
            FakeModelFile.writeFixture(repo.resolve(model + "/1"), Duration.ZERO);
        }
        FakeModelFile.writeFixture(repo.resolve("counted/2"), Duration.ZERO);
        Files.writeString(repo.resolve("labelled/labels.txt"), "neg\npos\n");
        ServerConfig config = ServerConfig.from(Map.of("model-repository", repo.toString(),
                "http-port", 0, "grpc-port", 0, "bind-address", "127.0.0.1", "codec-threads", 2,
                "io-threads", 2), repo, "test");
        server = RuntimeServer.start(config, RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        server.loaded().join();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
        grpc = GRPCInferenceServiceGrpc.newBlockingStub(channel);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.httpPort() + path));
        request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.method(method, HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static ModelInferRequest.Builder grpcRow(String model, long features) {
        ModelInferRequest.InferInputTensor.Builder input = ModelInferRequest.InferInputTensor.newBuilder()
                .setName(AffineFixture.INPUT).setDatatype("FP32").addShape(1).addShape(features);
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (int i = 1; i <= features; i++) {
            contents.addFp32Contents(i);
        }
        return ModelInferRequest.newBuilder().setModelName(model).setModelVersion("1")
                .addInputs(input.setContents(contents));
    }

    @Test
    void statisticsCountEveryRequestSentOverBothTransportsExactly() throws Exception {
        for (int i = 0; i < 6; i++) {
            assertThat(call("POST", "/v2/models/counted/versions/1/infer", GOOD).statusCode()).isEqualTo(200);
        }
        for (int i = 0; i < 2; i++) {
            assertThat(call("POST", "/v2/models/counted/versions/1/infer", BAD).statusCode()).isEqualTo(400);
        }
        for (int i = 0; i < 3; i++) {
            grpc.modelInfer(grpcRow("counted", AffineFixture.FEATURES).build());
        }
        Assertions.assertThatThrownBy(() -> grpc.modelInfer(grpcRow("counted", 4).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));

        JsonNode stats = json(call("GET", "/v2/models/counted/versions/1/stats", null))
                .get("model_stats").get(0);
        assertThat(stats.get("name").asText()).isEqualTo("counted");
        assertThat(stats.get("version").asText()).isEqualTo("1");
        assertThat(stats.get("inference_count").asLong()).isEqualTo(9);
        assertThat(stats.get("execution_count").asLong()).isEqualTo(9);
        assertThat(stats.get("last_inference").asLong()).isPositive();
        JsonNode inference = stats.get("inference_stats");
        assertThat(inference.get("success").get("count").asLong()).isEqualTo(9);
        assertThat(inference.get("fail").get("count").asLong()).isEqualTo(3);
        for (String step : List.of("queue", "compute_input", "compute_infer", "compute_output")) {
            assertThat(inference.get(step).get("count").asLong()).as(step).isEqualTo(9);
        }
        assertThat(inference.get("success").get("ns").asLong()).isPositive();
        assertThat(inference.get("compute_infer").get("ns").asLong()).isPositive();
        assertThat(inference.get("compute_input").get("ns").asLong()).isPositive();
        assertThat(inference.get("compute_output").get("ns").asLong()).isPositive();
        assertThat(stats.get("batch_stats")).hasSize(1);
        assertThat(stats.get("batch_stats").get(0).get("batch_size").asLong()).isEqualTo(1);
        assertThat(stats.get("batch_stats").get(0).get("compute_infer").get("count").asLong()).isEqualTo(9);

        ModelStatistics viaGrpc = grpc.modelStatistics(ModelStatisticsRequest.newBuilder()
                .setName("counted").setVersion("1").build()).getModelStats(0);
        assertThat(viaGrpc.getInferenceCount()).isEqualTo(9);
        assertThat(viaGrpc.getExecutionCount()).isEqualTo(9);
        assertThat(viaGrpc.getInferenceStats().getSuccess().getCount()).isEqualTo(9);
        assertThat(viaGrpc.getInferenceStats().getFail().getCount()).isEqualTo(3);
        assertThat(viaGrpc.getInferenceStats().getSuccess().getNs())
                .isEqualTo(inference.get("success").get("ns").asLong());
        assertThat(viaGrpc.getBatchStats(0).getBatchSize()).isEqualTo(1);
        assertThat(viaGrpc.getLastInference()).isEqualTo(stats.get("last_inference").asLong());

        // without a version, every loaded version; without a model, every model
        assertThat(json(call("GET", "/v2/models/counted/stats", null)).get("model_stats"))
                .extracting(n -> n.get("version").asText()).containsExactly("1", "2");
        assertThat(grpc.modelStatistics(ModelStatisticsRequest.getDefaultInstance()).getModelStatsList())
                .extracting(ModelStatistics::getName).contains("counted", "labelled");
        assertThat(json(call("GET", "/v2/models/stats", null)).get("model_stats")).hasSize(3);
        assertThat(call("GET", "/v2/models/nothing/stats", null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/v2/models/counted/versions/7/stats", null).statusCode()).isEqualTo(404);
    }

    @Test
    void configurationIsTritonsSchemaOverBothTransports() throws Exception {
        JsonNode config = json(call("GET", "/v2/models/labelled/config", null));
        assertThat(config.get("name").asText()).isEqualTo("labelled");
        assertThat(config.get("platform").asText()).isEqualTo("modelgate_fake");
        assertThat(config.get("backend").asText()).isEqualTo("fake");
        assertThat(config.get("max_batch_size").asInt()).isZero();
        JsonNode input = config.get("input").get(0);
        assertThat(input.get("name").asText()).isEqualTo(AffineFixture.INPUT);
        assertThat(input.get("data_type").asText()).isEqualTo("TYPE_FP32");
        assertThat(input.get("dims").toString()).isEqualTo("[-1,3]");
        assertThat(config.get("output").get(0).get("label_filename").asText()).isEqualTo("labels.txt");
        assertThat(config.get("instance_group").get(0).get("kind").asText()).isEqualTo("KIND_CPU");
        assertThat(config.get("instance_group").get(0).get("count").asInt()).isEqualTo(2);
        assertThat(config.has("dynamic_batching")).isFalse();
        assertThat(json(call("GET", "/v2/models/counted/versions/2/config", null))
                .get("output").get(0).get("label_filename").asText()).isEmpty();

        ModelConfig viaGrpc = grpc.modelConfig(ModelConfigRequest.newBuilder().setName("labelled").build())
                .getConfig();
        assertThat(viaGrpc.getName()).isEqualTo("labelled");
        assertThat(viaGrpc.getPlatform()).isEqualTo("modelgate_fake");
        assertThat(viaGrpc.getInput(0).getDataType()).isEqualTo(DataType.TYPE_FP32);
        assertThat(viaGrpc.getInput(0).getDimsList()).containsExactly(-1L, 3L);
        assertThat(viaGrpc.getOutputCount()).isEqualTo(2);
        assertThat(viaGrpc.getInstanceGroup(0).getKind()).isEqualTo(ModelInstanceGroup.Kind.KIND_CPU);
        assertThat(call("GET", "/v2/models/nothing/config", null).statusCode()).isEqualTo(404);
    }

    /** Triton's text for the top two classes of the fixture's answer to {@code [1, 2, 3]}. */
    private static List<String> expectedTopTwo() {
        float[] y = AffineFixture.affine(new float[] {1, 2, 3});
        int first = y[1] > y[0] ? 1 : 0;
        String[] labels = {"neg", "pos"};
        return List.of(String.format(Locale.ROOT, "%f:%d:%s", y[first], first, labels[first]),
                String.format(Locale.ROOT, "%f:%d:%s", y[1 - first], 1 - first, labels[1 - first]));
    }

    @Test
    void classificationAnswersTopClassesInJsonBinaryAndGrpc() throws Exception {
        String asked = GOOD.replace("]}", "],\"outputs\":[{\"name\":\"y\",\"parameters\":{\"classification\":2}}]}");
        JsonNode output = json(call("POST", "/v2/models/labelled/infer", asked)).get("outputs").get(0);
        assertThat(output.get("name").asText()).isEqualTo("y");
        assertThat(output.get("datatype").asText()).isEqualTo("BYTES");
        assertThat(output.get("shape").toString()).isEqualTo("[1,2]");
        List<String> texts = new ArrayList<>();
        output.get("data").forEach(n -> texts.add(n.asText()));
        assertThat(texts).isEqualTo(expectedTopTwo());

        // binary: the JSON header, then each element as a 4-byte little-endian length and its bytes
        String binary = GOOD.replace("]}", "],\"outputs\":[{\"name\":\"y\",\"parameters\":"
                + "{\"classification\":1,\"binary_data\":true}}]}");
        HttpResponse<byte[]> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.httpPort() + "/v2/models/labelled/infer"))
                .POST(HttpRequest.BodyPublishers.ofString(binary)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        int jsonLength = Integer.parseInt(answer.headers().firstValue("inference-header-content-length")
                .orElseThrow());
        JsonNode header = JSON.readTree(new String(answer.body(), 0, jsonLength, StandardCharsets.UTF_8));
        assertThat(header.get("outputs").get(0).get("datatype").asText()).isEqualTo("BYTES");
        assertThat(elements(ByteString.copyFrom(answer.body(), jsonLength, answer.body().length - jsonLength)))
                .containsExactly(expectedTopTwo().get(0));

        ModelInferResponse viaGrpc = grpc.modelInfer(grpcRow("labelled", AffineFixture.FEATURES)
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("y")
                        .putParameters("classification", InferParameter.newBuilder().setInt64Param(2).build()))
                .build());
        assertThat(viaGrpc.getOutputs(0).getDatatype()).isEqualTo("BYTES");
        assertThat(viaGrpc.getOutputs(0).getShapeList()).containsExactly(1L, 2L);
        List<String> grpcTexts = viaGrpc.getRawOutputContentsCount() > 0
                ? elements(viaGrpc.getRawOutputContents(0))
                : viaGrpc.getOutputs(0).getContents().getBytesContentsList().stream()
                        .map(ByteString::toStringUtf8).toList();
        assertThat(grpcTexts).isEqualTo(expectedTopTwo());

        String zero = GOOD.replace("]}", "],\"outputs\":[{\"name\":\"y\",\"parameters\":{\"classification\":0}}]}");
        HttpResponse<String> refused = call("POST", "/v2/models/labelled/infer", zero);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("parameters.classification: 0 (expected: a positive integer");
    }

    private static List<String> elements(ByteString raw) {
        ByteBuffer buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        List<String> texts = new ArrayList<>();
        while (buffer.hasRemaining()) {
            byte[] element = new byte[buffer.getInt()];
            buffer.get(element);
            texts.add(new String(element, StandardCharsets.UTF_8));
        }
        return texts;
    }

    @Test
    void logSettingsReadAndChangeTheLevelsOverBothTransports() throws Exception {
        // logback-test.xml sets the root to WARN
        JsonNode before = json(call("GET", "/v2/logging", null));
        assertThat(before.get("log_info").asBoolean()).isFalse();
        assertThat(before.get("log_warning").asBoolean()).isTrue();
        assertThat(before.get("log_verbose_level").asLong()).isZero();
        try {
            JsonNode after = json(call("POST", "/v2/logging",
                    "{\"log_info\":true,\"log_verbose_level\":1}"));
            assertThat(after.get("log_verbose_level").asLong()).isEqualTo(1);
            assertThat(org.slf4j.LoggerFactory.getLogger("dev.modelgate.server").isDebugEnabled()).isTrue();
            LogSettingsResponse viaGrpc = grpc.logSettings(LogSettingsRequest.getDefaultInstance());
            assertThat(viaGrpc.getSettingsOrThrow("log_verbose_level").getUint32Param()).isEqualTo(1);
            assertThat(viaGrpc.getSettingsOrThrow("log_file").getStringParam()).isEmpty();

            HttpResponse<String> unknown = call("POST", "/v2/logging", "{\"log_colour\":true}");
            assertThat(unknown.statusCode()).isEqualTo(400);
            assertThat(unknown.body()).contains("setting: log_colour (expected one of [");
            assertThat(call("POST", "/v2/logging", "[1]").statusCode()).isEqualTo(400);
            Assertions.assertThatThrownBy(() -> grpc.logSettings(LogSettingsRequest.newBuilder()
                    .putSettings("log_format", LogSettingsRequest.SettingValue.newBuilder()
                            .setStringParam("json").build()).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(
                            e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
            // nothing changed by a refused call
            assertThat(json(call("GET", "/v2/logging", null)).get("log_verbose_level").asLong()).isEqualTo(1);
        } finally {
            grpc.logSettings(LogSettingsRequest.newBuilder()
                    .putSettings("log_verbose_level", LogSettingsRequest.SettingValue.newBuilder()
                            .setUint32Param(0).build())
                    .putSettings("log_info", LogSettingsRequest.SettingValue.newBuilder()
                            .setBoolParam(false).build()).build());
        }
        assertThat(json(call("GET", "/v2/logging", null))).isEqualTo(before);
        assertThat(org.slf4j.LoggerFactory.getLogger("dev.modelgate.server").isInfoEnabled()).isFalse();
    }
}
