package dev.modelgate.server.grpc;

import dev.modelgate.server.grpc.proto.ModelInferRequest;
import dev.modelgate.server.grpc.proto.ModelStreamInferResponse;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A ModelStreamInfer client's side for tests: the answers as they come, how the stream ended, and
 * the call's request side (to cancel it).
 */
public final class StreamRecorder
        implements ClientResponseObserver<ModelInferRequest, ModelStreamInferResponse> {
    public final List<ModelStreamInferResponse> received = new CopyOnWriteArrayList<>();
    public final CompletableFuture<Status> done = new CompletableFuture<>();
    public final CompletableFuture<ClientCallStreamObserver<ModelInferRequest>> call =
            new CompletableFuture<>();

    @Override
    public void beforeStart(ClientCallStreamObserver<ModelInferRequest> requests) {
        call.complete(requests);
    }

    @Override
    public void onNext(ModelStreamInferResponse value) {
        received.add(value);
    }

    @Override
    public void onError(Throwable t) {
        done.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
        done.complete(Status.OK);
    }
}
