package dev.modelgate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.server.service.QueueFullException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole pipeline of {@link HttpServerInitializer} on an {@link EmbeddedChannel}, no socket. */
class HttpPipelineTest {
    private static final int MAX_BODY = 4096;
    private static final long IDLE = TimeUnit.SECONDS.toNanos(60);
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(5);
    private static final String INFER_BODY =
            "{\"id\":\"7\",\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[1,2]}]}";

    private final StubInferenceService service = new StubInferenceService();
    private EmbeddedChannel server;
    private EmbeddedChannel client;

    @BeforeEach
    void open() {
        server = new EmbeddedChannel();
        server.freezeTime();
        server.pipeline().addLast(new HttpServerInitializer(
                new OipRestService(service, Runnable::run).routes(), new ErrorMapper(), MAX_BODY,
                IDLE, TIMEOUT, System::nanoTime));
        client = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));
    }

    @AfterEach
    void close() {
        // A backend answers every request in the end (its own deadline at the latest); the
        // request's body is held until then, so a test's unanswered futures end here.
        unanswered.forEach(answer -> answer.cancel(false));
        server.finishAndReleaseAll();
        client.finishAndReleaseAll();
    }

    private final List<CompletableFuture<InferenceResponse>> unanswered = new ArrayList<>();

    /** An answer that does not come while the test runs. */
    private CompletableFuture<InferenceResponse> unanswered() {
        CompletableFuture<InferenceResponse> answer = new CompletableFuture<>();
        unanswered.add(answer);
        return answer;
    }

    /** Sends raw request text and returns every response written so far, in order. */
    private List<Response> send(String raw) {
        server.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.UTF_8));
        return drain();
    }

    private List<Response> drain() {
        server.runPendingTasks();
        ByteBuf bytes;
        while ((bytes = server.readOutbound()) != null) {
            client.writeInbound(bytes);
        }
        List<Response> responses = new ArrayList<>();
        FullHttpResponse response;
        while ((response = client.readInbound()) != null) {
            responses.add(new Response(response));
            response.release();
        }
        return responses;
    }

    private Response one(String raw) {
        List<Response> responses = send(raw);
        assertThat(responses).hasSize(1);
        return responses.get(0);
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n";
    }

    private static String post(String path, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return "POST " + path + " HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + bytes.length + "\r\n\r\n" + body;
    }

    record Response(int status, String body, String contentType, String allow, String requestId,
            String connection, String retryAfter) {
        Response(FullHttpResponse r) {
            this(r.status().code(), r.content().toString(StandardCharsets.UTF_8),
                    r.headers().get("content-type"), r.headers().get("allow"),
                    r.headers().get("x-request-id"), r.headers().get("connection"),
                    r.headers().get("retry-after"));
        }
    }

    @Test
    void serverMetadataAndHealth() {
        assertThat(one(get("/v2")).body()).isEqualTo("{\"name\":\"modelgate\",\"version\":\"test\",\"extensions\":[]}");
        assertThat(one(get("/v2/")).status()).isEqualTo(200);
        assertThat(one(get("/v2/health/live"))).extracting(Response::status, Response::body)
                .containsExactly(200, "{\"live\":true}");
        assertThat(one(get("/v2/health/ready"))).extracting(Response::status, Response::body)
                .containsExactly(200, "{\"ready\":true}");
        service.ready = false;
        assertThat(one(get("/v2/health/ready"))).extracting(Response::status, Response::body)
                .containsExactly(503, "{\"ready\":false}");
        assertThat(one(get("/v2/models/echo/ready"))).extracting(Response::status, Response::body)
                .containsExactly(503, "{\"name\":\"echo\",\"ready\":false}");
    }

    @Test
    void modelEndpoints() {
        assertThat(one(get("/v2/models")).body()).isEqualTo("{\"models\":[\"echo\"]}");
        assertThat(one(get("/v2/models/echo")).body()).startsWith("{\"name\":\"echo\",\"versions\":[\"1\",\"2\"]");
        assertThat(one(get("/v2/models/echo/versions/1")).body()).startsWith("{\"name\":\"echo\",\"versions\":[\"1\"]");
        assertThat(one(get("/v2/models/echo/ready"))).extracting(Response::status, Response::body)
                .containsExactly(200, "{\"name\":\"echo\",\"ready\":true}");
        assertThat(one(get("/v2/models/echo/versions/2/ready")).status()).isEqualTo(200);
        Response infer = one(post("/v2/models/echo/infer", INFER_BODY));
        assertThat(infer.status()).isEqualTo(200);
        assertThat(infer.contentType()).isEqualTo("application/json");
        assertThat(infer.body()).isEqualTo("{\"model_name\":\"echo\",\"model_version\":\"2\",\"id\":\"7\","
                + "\"outputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[1.0,2.0]}]}");
        assertThat(one(post("/v2/models/echo/versions/1/infer", INFER_BODY)).body())
                .contains("\"model_version\":\"1\"");
    }

    @Test
    void unknownPathsAndMethods() {
        Response missing = one(get("/v3/nothing?x=1"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"error\":\"path: /v3/nothing (expected: an Open Inference"
                + " Protocol path such as /v2/models/{model}/infer)\"}");
        assertThat(one(get("/v2/models/echo/versions/1/infer/more")).status()).isEqualTo(404);

        Response wrongMethod = one(post("/v2/health/ready", ""));
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.allow()).isEqualTo("GET");
        assertThat(wrongMethod.body()).contains("method: POST (expected: GET for /v2/health/ready)");
        Response getInfer = one(get("/v2/models/echo/infer"));
        assertThat(getInfer.status()).isEqualTo(405);
        assertThat(getInfer.allow()).isEqualTo("POST");
        assertThat(one("DELETE /v2/models/echo HTTP/1.1\r\nHost: t\r\n\r\n").allow()).isEqualTo("GET");
    }

    @Test
    void unknownModelsAndVersionsAre404() {
        assertThat(one(get("/v2/models/nope"))).extracting(Response::status, Response::body)
                .containsExactly(404, "{\"error\":\"model: nope (expected one of [echo])\"}");
        assertThat(one(get("/v2/models/echo/versions/9")).status()).isEqualTo(404);
        assertThat(one(get("/v2/models/nope/ready")).status()).isEqualTo(404);
        assertThat(one(post("/v2/models/nope/infer", INFER_BODY)).status()).isEqualTo(404);
        assertThat(one(get("/v2/models/a%20b")).body()).contains("model: a b ");
    }

    @Test
    void badBodiesAre400AndTheConnectionStaysUsable() {
        Response malformed = one(post("/v2/models/echo/infer", "{\"inputs\": ["));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body()).startsWith("{\"error\":\"body: malformed JSON at line 1");
        assertThat(one(post("/v2/models/echo/infer", "{}")).body())
                .isEqualTo("{\"error\":\"inputs: missing (expected: an array of at least one input)\"}");
        assertThat(one(post("/v2/models/echo/infer", INFER_BODY)).status()).isEqualTo(200);
        assertThat(server.isOpen()).isTrue();
    }

    @Test
    void aBinaryHeaderLengthPastTheBodyIsRefusedClearly() {
        Response response = one("POST /v2/models/echo/infer HTTP/1.1\r\nHost: t\r\n"
                + "Inference-Header-Content-Length: 9\r\nContent-Length: 2\r\n\r\n{}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("Inference-Header-Content-Length: 9 (expected: an"
                + " integer in [1, 2]");
    }

    @Test
    void tooLargeBodiesGet413AsJsonAndTheConnectionCloses() {
        Response response = one("POST /v2/models/echo/infer HTTP/1.1\r\nHost: t\r\nContent-Length: "
                + (MAX_BODY + 1) + "\r\n\r\n");
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.body()).isEqualTo("{\"error\":\"body: 4097 bytes (expected: at most 4096"
                + " bytes, the max-request-size)\"}");
        assertThat(response.connection()).isEqualTo("close");
        // the rest of the body is read and dropped before the connection closes, so the client
        // never meets a reset that could swallow the 413
        assertThat(server.isOpen()).isTrue();
        assertThat(send("x".repeat(MAX_BODY + 1))).isEmpty();
        assertThat(server.isOpen()).isFalse();
    }

    @Test
    void aRefusedBodyThatNeverEndsIsCutOff() {
        Response response = one("POST /v2/models/echo/infer HTTP/1.1\r\nHost: t\r\nContent-Length: "
                + (10 * MAX_BODY) + "\r\n\r\n");
        assertThat(response.status()).isEqualTo(413);
        assertThat(send("x".repeat(MAX_BODY))).isEmpty();
        assertThat(server.isOpen()).isTrue();
        server.advanceTimeBy(3, java.util.concurrent.TimeUnit.SECONDS);
        server.runScheduledPendingTasks();
        assertThat(server.isOpen()).isFalse();
    }

    @Test
    void aClientExpecting100ContinueGetsA413WithJsonAndKeepsTheConnection() {
        Response refused = one("POST /v2/models/echo/infer HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
                + "Content-Length: 5000\r\n\r\n");
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.body()).contains("body: 5000 bytes (expected: at most 4096 bytes");
        assertThat(one(get("/v2/health/live")).status()).isEqualTo(200);

        byte[] body = INFER_BODY.getBytes(StandardCharsets.UTF_8);
        List<Response> continued = send("POST /v2/models/echo/infer HTTP/1.1\r\nHost: t\r\n"
                + "Expect: 100-continue\r\nContent-Length: " + body.length + "\r\n\r\n");
        assertThat(continued).extracting(Response::status).containsExactly(100);
        assertThat(send(INFER_BODY)).extracting(Response::status).containsExactly(200);
    }

    @Test
    void chunkedBodiesOverTheLimitGet413Too() {
        String chunk = "x".repeat(3000);
        String raw = "POST /v2/models/echo/infer HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n"
                + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n";
        Response response = one(raw);
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.body()).contains("body: more than 4096 bytes");
    }

    @Test
    void keepAliveServesPipelinedRequestsInOrder() {
        List<Response> responses = send(get("/v2/health/live") + post("/v2/models/echo/infer", "oops")
                + get("/v2/models"));
        assertThat(responses).extracting(Response::status).containsExactly(200, 400, 200);
        assertThat(server.isOpen()).isTrue();
    }

    @Test
    void answersAreWrittenInRequestOrderEvenWhenTheyCompleteOutOfOrder() {
        CompletableFuture<InferenceResponse> slow = new CompletableFuture<>();
        service.answer = (model, request) -> request.id().equals("slow") ? slow
                : CompletableFuture.completedFuture(StubInferenceService.echo(model, request));
        String slowBody = INFER_BODY.replace("\"7\"", "\"slow\"");
        assertThat(send(post("/v2/models/echo/infer", slowBody) + post("/v2/models/echo/infer", INFER_BODY)))
                .isEmpty();
        slow.complete(StubInferenceService.echo(dev.modelgate.server.service.ModelRef.of("echo"),
                dev.modelgate.api.InferenceRequest.of("slow", List.of(
                        dev.modelgate.api.Tensor.ofFloats("x", new long[] {1}, 9)))));
        List<Response> responses = drain();
        assertThat(responses).extracting(Response::body).satisfiesExactly(
                first -> assertThat(first).contains("\"id\":\"slow\""),
                second -> assertThat(second).contains("\"id\":\"7\""));
    }

    @Test
    void connectionCloseAndHttp10CloseAfterTheAnswer() {
        Response response = one("GET /v2/health/live HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertThat(response.connection()).isEqualTo("close");
        assertThat(server.isOpen()).isFalse();

        open();
        one("GET /v2/health/live HTTP/1.0\r\n\r\n");
        assertThat(server.isOpen()).isFalse();

        open();
        assertThat(one("GET /v2/health/live HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").status())
                .isEqualTo(200);
        assertThat(server.isOpen()).isTrue();
    }

    @Test
    void slowAnswersGet504AtTheDeadline() {
        service.answer = (model, request) -> unanswered();
        assertThat(send(post("/v2/models/echo/infer", INFER_BODY))).isEmpty();
        server.advanceTimeBy(TIMEOUT, TimeUnit.NANOSECONDS);
        server.runScheduledPendingTasks();
        Response response = drain().get(0);
        assertThat(response.status()).isEqualTo(504);
        assertThat(response.body()).contains("deadline: 5000 ms passed");
        assertThat(server.isOpen()).isTrue();
    }

    @Test
    void eachRequestIsAnswered504AtItsOwnDeadline() {
        service.answer = (model, request) -> unanswered();
        assertThat(send(post("/v2/models/echo/infer", INFER_BODY))).isEmpty();
        elapse(TIMEOUT / 2);
        assertThat(send(post("/v2/models/echo/infer", INFER_BODY))).isEmpty();

        List<Response> first = elapse(TIMEOUT / 2);
        assertThat(first).extracting(Response::status).containsExactly(504);
        assertThat(elapse(TIMEOUT / 2 - 1)).as("the second request's deadline is later").isEmpty();
        assertThat(elapse(1)).extracting(Response::status).containsExactly(504);
    }

    @Test
    void anAnsweredRequestLeavesTheNextOneItsWholeTimeout() {
        CompletableFuture<InferenceResponse> first = unanswered();
        service.answer = (model, request) -> first.isDone() ? unanswered() : first;
        send(post("/v2/models/echo/infer", INFER_BODY));
        first.complete(StubInferenceService.echo(dev.modelgate.server.service.ModelRef.of("echo"),
                dev.modelgate.api.InferenceRequest.of("7", List.of(
                        dev.modelgate.api.Tensor.ofFloats("x", new long[] {1}, 1)))));
        assertThat(drain()).extracting(Response::status).containsExactly(200);
        elapse(TIMEOUT - 1);
        assertThat(send(post("/v2/models/echo/infer", INFER_BODY))).isEmpty();

        assertThat(elapse(1)).as("the timer armed for the first request fired").isEmpty();
        assertThat(elapse(TIMEOUT - 2)).isEmpty();
        assertThat(elapse(1)).extracting(Response::status).containsExactly(504);
    }

    /** Moves the embedded loop's clock on, runs the timers due, and returns what was written. */
    private List<Response> elapse(long nanos) {
        server.advanceTimeBy(nanos, TimeUnit.NANOSECONDS);
        server.runScheduledPendingTasks();
        return drain();
    }

    @Test
    void requestIdsAreEchoedOrMinted() {
        Response given = one("GET /v2 HTTP/1.1\r\nHost: t\r\nX-Request-Id: abc-123\r\n\r\n");
        assertThat(given.requestId()).isEqualTo("abc-123");
        assertThat(one(get("/v2")).requestId()).matches("[0-9a-f]{16}");
        one(post("/v2/models/echo/infer", INFER_BODY).replace("Host: test", "Host: test\r\nX-Request-Id: r-9"));
        assertThat(service.contexts.get(0).requestId()).isEqualTo("r-9");
        assertThat(service.contexts.get(0).header("Content-Type")).isEqualTo("application/json");
        assertThat(service.contexts.get(0).deadlineNanos() - service.contexts.get(0).startNanos())
                .isEqualTo(TIMEOUT);
    }

    @Test
    void failuresMapToStatusesWithoutLeakingInternals() {
        service.answer = (model, request) -> CompletableFuture.failedFuture(
                new IllegalStateException("secret stack detail"));
        Response internal = one(post("/v2/models/echo/infer", INFER_BODY));
        assertThat(internal.status()).isEqualTo(500);
        assertThat(internal.body()).doesNotContain("secret").contains("internal error (request id: "
                + internal.requestId() + ")");

        service.answer = (model, request) -> CompletableFuture.failedFuture(
                new InferenceException(ErrorKind.RESOURCE_EXHAUSTED, "queue: full"));
        Response busy = one(post("/v2/models/echo/infer", INFER_BODY));
        assertThat(busy).extracting(Response::status, Response::retryAfter).containsExactly(429, "1");

        service.answer = (model, request) -> CompletableFuture.failedFuture(
                new QueueFullException("batch queue: full"));
        Response queueFull = one(post("/v2/models/echo/infer", INFER_BODY));
        assertThat(queueFull).extracting(Response::status, Response::retryAfter).containsExactly(503, "1");
        assertThat(queueFull.body()).contains("batch queue: full");

        service.answer = (model, request) -> {
            throw new RejectedExecutionException("pool full");
        };
        assertThat(one(post("/v2/models/echo/infer", INFER_BODY)).status()).isEqualTo(429);

        service.answer = (model, request) -> CompletableFuture.failedFuture(
                InferenceException.unavailable("model echo: loading"));
        assertThat(one(post("/v2/models/echo/infer", INFER_BODY)).status()).isEqualTo(503);
        service.answer = (model, request) -> CompletableFuture.failedFuture(
                new InferenceException(ErrorKind.DEADLINE_EXCEEDED, "deadline: passed"));
        assertThat(one(post("/v2/models/echo/infer", INFER_BODY)).status()).isEqualTo(504);
        assertThat(server.isOpen()).isTrue();
    }

    @Test
    void malformedHttpIs400AndCloses() {
        Response response = one("GET /v2 HTTP/1.1\r\nHost: t\r\nBad Header\r\n\r\n");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).startsWith("{\"error\":\"request: malformed HTTP");
        assertThat(server.isOpen()).isFalse();
    }

    @Test
    void idleConnectionsClose() {
        one(get("/v2/health/live"));
        server.advanceTimeBy(IDLE + 1, TimeUnit.NANOSECONDS);
        server.runScheduledPendingTasks();
        assertThat(server.isOpen()).isFalse();
    }

    @Test
    void idleTimeDoesNotCloseAConnectionWithARequestInFlight() {
        service.answer = (model, request) -> unanswered();
        send(post("/v2/models/echo/infer", INFER_BODY));
        server.advanceTimeBy(TIMEOUT - 1, TimeUnit.NANOSECONDS);
        server.runScheduledPendingTasks();
        assertThat(server.isOpen()).isTrue();
    }
}
