package dev.modelgate.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.modelgate.api.InferenceException;
import dev.modelgate.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.modelgate.server.grpc.proto.ModelRepositoryParameter;
import dev.modelgate.server.grpc.proto.RepositoryIndexRequest;
import dev.modelgate.server.grpc.proto.RepositoryModelLoadRequest;
import dev.modelgate.server.grpc.proto.RepositoryModelLoadResponse;
import dev.modelgate.server.grpc.proto.RepositoryModelUnloadRequest;
import dev.modelgate.server.grpc.proto.RepositoryModelUnloadResponse;
import dev.modelgate.server.service.ModelRepositoryControl;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The repository RPCs against a repository with model control: Triton's and KServe's field
 * numbering (issue 15 item 6) and the load/unload parameters REST checks the same way (item 3).
 */
class RepositoryRpcTest {
    /** A repository that records what it was asked; "known" is the only model it has. */
    static final class RecordingRepository implements ModelRepositoryControl {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public List<RepositoryModel> index() {
            return List.of(new RepositoryModel("known", "1", "READY", ""),
                    new RepositoryModel("broken", "", "UNAVAILABLE", "warm-up failed: boom"));
        }

        @Override
        public CompletableFuture<Void> load(String model) {
            calls.add("load " + model);
            return model.equals("known") ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.failedFuture(InferenceException.notFound("model: " + model));
        }

        @Override
        public CompletableFuture<Void> unload(String model) {
            calls.add("unload " + model);
            return CompletableFuture.completedFuture(null);
        }
    }

    private final RecordingRepository repository = new RecordingRepository();
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private Server server;
    private ManagedChannel channel;
    private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;

    @BeforeEach
    void start() throws IOException {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).executor(executor)
                .addService(ServerInterceptors.intercept(new OipGrpcService(new RecordingService(),
                        executor, System::nanoTime, repository),
                        new CallBinding(TimeUnit.SECONDS.toNanos(2), System::nanoTime)))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        executor.shutdownNow();
    }

    private static StatusRuntimeException failure(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void tritonsAndKServesNumberingNameTheSameModel() {
        RepositoryModelLoadResponse triton = stub.repositoryModelLoad(
                RepositoryModelLoadRequest.newBuilder().setModelName("known").build());
        // KServe's proto: model_name is field 1, which our proto calls repository_name
        RepositoryModelLoadResponse kserve = stub.repositoryModelLoad(
                RepositoryModelLoadRequest.newBuilder().setRepositoryName("known").build());
        RepositoryModelUnloadResponse unloaded = stub.repositoryModelUnload(
                RepositoryModelUnloadRequest.newBuilder().setRepositoryName("known").build());

        assertThat(repository.calls).containsExactly("load known", "load known", "unload known");
        assertThat(kserve.getModelName()).isEqualTo("known");
        assertThat(kserve.getIsLoaded()).isTrue();
        assertThat(triton.getIsLoaded()).isTrue();
        assertThat(unloaded.getModelName()).isEqualTo("known");
        assertThat(unloaded.getIsUnloaded()).isTrue();
        // Triton's form with a repository name: field 2 names the model
        stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder()
                .setRepositoryName("models").setModelName("known").build());
        assertThat(repository.calls).last().isEqualTo("load known");
        assertThat(failure(() -> stub.repositoryModelLoad(RepositoryModelLoadRequest.getDefaultInstance()))
                .getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void configAndFileOverridesAreRefusedWithTheReason() {
        StatusRuntimeException config = failure(() -> stub.repositoryModelLoad(
                RepositoryModelLoadRequest.newBuilder().setModelName("known")
                        .putParameters("config", ModelRepositoryParameter.newBuilder()
                                .setStringParam("{\"max_batch_size\": 8}").build()).build()));
        assertThat(config.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(config.getStatus().getDescription()).isEqualTo("load known parameters.config:"
                + " {\"max_batch_size\": 8} (expected: none; configuration overrides are not"
                + " supported: edit known/model.yaml in the repository and load again)");

        StatusRuntimeException file = failure(() -> stub.repositoryModelLoad(
                RepositoryModelLoadRequest.newBuilder().setModelName("known")
                        .putParameters("file:1/model.onnx", ModelRepositoryParameter.newBuilder()
                                .setBytesParam(ByteString.copyFrom(new byte[] {1, 2})).build())
                        .build()));
        assertThat(file.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(file.getStatus().getDescription()).contains("parameters.file:1/model.onnx")
                .contains("would let a caller write model files");
        assertThat(repository.calls).as("nothing was loaded").isEmpty();

        stub.repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder().setModelName("known")
                .putParameters("unload_dependents", ModelRepositoryParameter.newBuilder()
                        .setBoolParam(true).build()).build());
        assertThat(repository.calls).containsExactly("unload known");
    }

    @Test
    void theIndexCarriesEachModelsStateAndReason() {
        assertThat(stub.repositoryIndex(RepositoryIndexRequest.getDefaultInstance()).getModelsList())
                .extracting(m -> m.getName() + ":" + m.getState() + ":" + m.getReason())
                .containsExactly("known:READY:", "broken:UNAVAILABLE:warm-up failed: boom");
        assertThatThrownBy(() -> stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder()
                .setModelName("nope").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }
}
