package dev.modelgate.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.modelgate.api.InferenceResponse;
import dev.modelgate.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.modelgate.server.grpc.proto.InferTensorContents;
import dev.modelgate.server.grpc.proto.ModelInferRequest;
import dev.modelgate.server.grpc.proto.ModelStreamInferResponse;
import dev.modelgate.server.service.RequestObserver;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stream's own behaviour over an in-process transport and a fake service whose answers the
 * test releases: the bound on requests taken and not answered, a malformed message answered on
 * the stream, one access-log entry per request, the drain, and a cancel releasing the stream.
 */
class InferStreamsTest {
    record Logged(String requestId, int status) {
    }

    private final RecordingService service = new RecordingService();
    private final ConcurrentLinkedQueue<CompletableFuture<InferenceResponse>> held =
            new ConcurrentLinkedQueue<>();
    private final List<Logged> logged = new CopyOnWriteArrayList<>();
    private final RequestObserver observer = (context, status, in, out) ->
            logged.add(new Logged(context.requestId(), status));
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private OipGrpcService oip;
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws IOException {
        oip = new OipGrpcService(service, executor, System::nanoTime);
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(MalformedMessages.apply(InferRequestMarshaller.apply(
                        ServerInterceptors.intercept(oip, new CallBinding(
                                TimeUnit.SECONDS.toNanos(30), System::nanoTime, observer)))))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        executor.shutdownNow();
    }

    private void holdAnswers() {
        service.answer = call -> {
            CompletableFuture<InferenceResponse> gate = new CompletableFuture<>();
            held.add(gate);
            return gate.thenCompose(ignored -> RecordingService.echo(call));
        };
    }

    private void releaseHeld() {
        CompletableFuture<InferenceResponse> next;
        while ((next = held.poll()) != null) {
            next.complete(null);
        }
    }

    @Test
    void aStreamTakesAtMostItsBoundAndOneMoreRequestPerAnswer() {
        holdAnswers();
        StreamRecorder answers = new StreamRecorder();
        StreamObserver<ModelInferRequest> requests = GRPCInferenceServiceGrpc.newStub(channel)
                .modelStreamInfer(answers);
        for (int i = 0; i < 100; i++) {
            requests.onNext(request("q-" + i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> service.calls.size() == InferStreams.MAX_IN_FLIGHT);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> service.calls.size() == InferStreams.MAX_IN_FLIGHT);

        held.poll().complete(null);
        await().atMost(Duration.ofSeconds(10)).until(() -> answers.received.size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> service.calls.size() == InferStreams.MAX_IN_FLIGHT + 1);

        service.answer = RecordingService::echo;
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            releaseHeld();
            return answers.received.size() == 100;
        });
        requests.onCompleted();
        assertThat(answers.done.orTimeout(30, TimeUnit.SECONDS).join()).isEqualTo(Status.OK);
        assertThat(answers.received).extracting(a -> a.getInferResponse().getId())
                .hasSize(100).doesNotHaveDuplicates();
        assertThat(logged).hasSize(100).extracting(Logged::requestId).doesNotHaveDuplicates();
    }

    @Test
    void aMalformedMessageIsAnErrorOnTheStreamAndTheOthersAreAnswered() throws Exception {
        // Requests as raw bytes (so one can be malformed), answers parsed as the stub would.
        MethodDescriptor<byte[], ModelStreamInferResponse> raw = MethodDescriptor
                .<byte[], ModelStreamInferResponse>newBuilder()
                .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
                .setFullMethodName(GRPCInferenceServiceGrpc.getModelStreamInferMethod().getFullMethodName())
                .setRequestMarshaller(new Bytes())
                .setResponseMarshaller(ProtoUtils.marshaller(ModelStreamInferResponse.getDefaultInstance()))
                .build();
        StreamRecorder recorder = new StreamRecorder(); // its call is not read: this one takes bytes
        StreamObserver<byte[]> requests = ClientCalls.asyncBidiStreamingCall(
                channel.newCall(raw, CallOptions.DEFAULT), recorder);
        requests.onNext(request("good-1").toByteArray());
        requests.onNext(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
        requests.onNext(request("good-2").toByteArray());
        requests.onCompleted();

        assertThat(recorder.done.orTimeout(30, TimeUnit.SECONDS).join()).isEqualTo(Status.OK);
        List<ModelStreamInferResponse> answers = recorder.received;
        assertThat(answers).filteredOn(a -> a.getErrorMessage().isEmpty())
                .extracting(a -> a.getInferResponse().getId())
                .containsExactlyInAnyOrder("good-1", "good-2");
        assertThat(answers).filteredOn(a -> !a.getErrorMessage().isEmpty()).singleElement()
                .satisfies(a -> assertThat(a.getErrorMessage()).contains("not a valid"));
        await().atMost(Duration.ofSeconds(5)).until(() -> logged.size() == 3);
        assertThat(logged).extracting(Logged::status).containsExactlyInAnyOrder(200, 200, 400);
        assertThat(logged).extracting(Logged::requestId).doesNotHaveDuplicates();
    }

    @Test
    void aDrainAnswersWhatTheStreamTookThenClosesItUnavailable() {
        holdAnswers();
        StreamRecorder answers = new StreamRecorder();
        StreamObserver<ModelInferRequest> requests = GRPCInferenceServiceGrpc.newStub(channel)
                .modelStreamInfer(answers);
        for (int i = 0; i < 3; i++) {
            requests.onNext(request("d-" + i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> service.calls.size() == 3);

        oip.streams().drain();
        assertThat(answers.done).as("answers are still owed").isNotDone();
        releaseHeld();

        Status end = answers.done.orTimeout(30, TimeUnit.SECONDS).join();
        assertThat(end.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(end.getDescription()).contains("draining");
        assertThat(answers.received).extracting(a -> a.getInferResponse().getId())
                .containsExactlyInAnyOrder("d-0", "d-1", "d-2");
        assertThat(oip.streams().openStreams()).isZero();
    }

    @Test
    void aCancelReleasesTheStreamAndNothingIsAnsweredAfterIt() {
        holdAnswers();
        StreamRecorder answers = new StreamRecorder();
        GRPCInferenceServiceGrpc.newStub(channel).modelStreamInfer(answers);
        ClientCallStreamObserver<ModelInferRequest> requests = answers.call.join();
        requests.onNext(request("c-0"));
        requests.onNext(request("c-1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> service.calls.size() == 2);
        assertThat(oip.streams().openStreams()).isEqualTo(1);

        requests.cancel("the client gave up", null);
        assertThat(answers.done.orTimeout(30, TimeUnit.SECONDS).join().getCode())
                .isEqualTo(Status.Code.CANCELLED);
        await().atMost(Duration.ofSeconds(10)).until(() -> oip.streams().openStreams() == 0);
        releaseHeld();
        assertThat(answers.received).isEmpty();
        assertThat(logged).as("no answer was written for the cancelled stream").isEmpty();
    }

    static ModelInferRequest request(String id) {
        return ModelInferRequest.newBuilder().setModelName("echo").setId(id)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x")
                        .setDatatype("FP32").addShape(1).addShape(3)
                        .setContents(InferTensorContents.newBuilder()
                                .addFp32Contents(1).addFp32Contents(2).addFp32Contents(3)))
                .build();
    }

    /** Bytes as they are, so a test can send what no protobuf encoder would. */
    static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
