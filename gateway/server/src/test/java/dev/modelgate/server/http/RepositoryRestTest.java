package dev.modelgate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.server.service.ModelRepositoryControl;
import dev.modelgate.server.service.ReadOnlyRepository;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The repository extension over REST, as gRPC has it (issue 15 items 3 and 7): load parameters
 * refused with the reason, and the read-only view a server without model control offers.
 */
class RepositoryRestTest {
    private EmbeddedChannel server;
    private final EmbeddedChannel client =
            new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));
    private final List<String> calls = new CopyOnWriteArrayList<>();

    private final ModelRepositoryControl explicit = new ModelRepositoryControl() {
        @Override
        public List<RepositoryModel> index() {
            return List.of(new RepositoryModel("echo", "1", "READY", ""));
        }

        @Override
        public CompletableFuture<Void> load(String model) {
            calls.add("load " + model);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> unload(String model) {
            calls.add("unload " + model);
            return CompletableFuture.completedFuture(null);
        }
    };

    private void open(ModelRepositoryControl repository) {
        server = new EmbeddedChannel();
        server.pipeline().addLast(new HttpServerInitializer(
                new OipRestService(new StubInferenceService(), Runnable::run, repository).routes(),
                new ErrorMapper(), 1 << 20, TimeUnit.SECONDS.toNanos(60),
                TimeUnit.SECONDS.toNanos(5), System::nanoTime));
    }

    @AfterEach
    void close() {
        server.finishAndReleaseAll();
        client.finishAndReleaseAll();
    }

    record Response(int status, String body) {
    }

    private Response post(String path, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        server.writeInbound(Unpooled.copiedBuffer("POST " + path + " HTTP/1.1\r\nHost: t\r\n"
                + "Content-Length: " + bytes.length + "\r\n\r\n" + body, StandardCharsets.UTF_8));
        server.runPendingTasks();
        ByteBuf out;
        while ((out = server.readOutbound()) != null) {
            client.writeInbound(out);
        }
        FullHttpResponse response = client.readInbound();
        try {
            return new Response(response.status().code(),
                    response.content().toString(StandardCharsets.UTF_8));
        } finally {
            response.release();
        }
    }

    @Test
    void loadParametersAreRefusedAsGrpcRefusesThem() {
        open(explicit);
        Response config = post("/v2/repository/models/echo/load",
                "{\"parameters\":{\"config\":\"{not json\"}}");
        assertThat(config.status()).isEqualTo(400);
        assertThat(config.body()).isEqualTo("{\"error\":\"load echo parameters.config: {not json"
                + " (expected: none; configuration overrides are not supported: edit"
                + " echo/model.yaml in the repository and load again)\"}");
        Response file = post("/v2/repository/models/echo/load",
                "{\"parameters\":{\"config\":\"{}\",\"file:1/model.onnx\":\"AAEC\"}}");
        assertThat(file.status()).isEqualTo(400);
        Response garbage = post("/v2/repository/models/echo/load", "{\"parameters\":[1]}");
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.body()).contains("parameters: [1] (expected: an object)");
        assertThat(calls).isEmpty();

        assertThat(post("/v2/repository/models/echo/load", "").status()).isEqualTo(200);
        assertThat(post("/v2/repository/models/echo/load", "{}").status()).isEqualTo(200);
        assertThat(post("/v2/repository/models/echo/unload",
                "{\"parameters\":{\"unload_dependents\":false}}").status()).isEqualTo(200);
        assertThat(calls).containsExactly("load echo", "load echo", "unload echo");
    }

    @Test
    void withoutModelControlTheRepositoryIsReadOnly() {
        open(ReadOnlyRepository.over(new StubInferenceService()));
        Response index = post("/v2/repository/index", "{}");
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.body()).isEqualTo(
                "[{\"name\":\"echo\",\"version\":\"\",\"state\":\"READY\",\"reason\":\"\"}]");
        assertThat(post("/v2/repository/models/echo/load", "{}").status()).isEqualTo(200);
        assertThat(post("/v2/repository/models/nope/load", "{}").status()).isEqualTo(404);
        Response unload = post("/v2/repository/models/echo/unload", "{}");
        assertThat(unload.status()).isEqualTo(501);
        assertThat(unload.body()).contains("model-control: explicit");
    }
}
