package dev.modelgate.server.grpc;

import dev.modelgate.server.grpc.proto.ModelStreamInferResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A ModelStreamInfer client's side for tests: the answers as they come, and how the stream ended. */
public final class StreamRecorder implements StreamObserver<ModelStreamInferResponse> {
    public final List<ModelStreamInferResponse> received = new CopyOnWriteArrayList<>();
    public final CompletableFuture<Status> done = new CompletableFuture<>();

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
