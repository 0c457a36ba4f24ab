package dev.modelgate.server.remote;

import dev.modelgate.server.tls.ClientTls;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.server.netty.NettyTransport;
import dev.modelgate.server.service.NamedExecutors;
import dev.modelgate.server.service.RequestContext;
import dev.modelgate.server.traffic.RemoteRevisions;
import dev.modelgate.server.traffic.RemoteSpec;
import dev.modelgate.server.traffic.RevisionSpec;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The gateway's remote backends: one {@link RemoteBackend} per distinct {@link RemoteSpec} among
 * the services' revisions, created when a spec first appears and closed when no revision names it
 * any more ({@link #sync}). Owns the client event loops and the decode executor. A spec's protocol
 * picks its replicas' transport: HTTP/1.1 on these event loops, or one gRPC channel per replica.
 */
public final class RemoteBackends implements RemoteRevisions, AutoCloseable {
    private final EventLoopGroup group;
    private final ExecutorService codec;
    private final LongSupplier clock;
    private final int grpcMaxMessageSize;
    private final Map<RemoteSpec, RemoteBackend> backends = new ConcurrentHashMap<>();
    /** Every HTTP connection to a replica, on these event loops or on inbound connections' loops. */
    private final ChannelGroup connections = new DefaultChannelGroup("replica-connections",
            ImmediateEventExecutor.INSTANCE);
    private volatile Runnable readinessListener = () -> { };

    /** @param grpcMaxMessageSize the largest answer a gRPC replica may send, in bytes */
    public RemoteBackends(int ioThreads, int codecThreads, int grpcMaxMessageSize,
            LongSupplier clock) {
        this.group = NettyTransport.get().group(ioThreads,
                new DefaultThreadFactory("modelgate-remote-io", true));
        this.codec = NamedExecutors.bounded("modelgate-remote-codec", codecThreads, 4096);
        this.clock = clock;
        this.grpcMaxMessageSize = grpcMaxMessageSize;
    }

    /** Called when a backend's readiness flips (the registry recompiles its routing). */
    public void onReadinessChange(Runnable listener) {
        this.readinessListener = listener;
    }

    /** Creates backends for new remote specs and closes those no service names any more. */
    public synchronized void sync(List<RevisionSpec> revisions) {
        Set<RemoteSpec> wanted = new HashSet<>();
        for (RevisionSpec revision : revisions) {
            if (revision.isRemote()) {
                wanted.add(revision.remote());
            }
        }
        for (RemoteSpec spec : wanted) {
            backends.computeIfAbsent(spec, s -> new RemoteBackend(s, transports(s), group, clock,
                    () -> readinessListener.run()));
        }
        backends.keySet().removeIf(spec -> {
            if (!wanted.contains(spec)) {
                backends.get(spec).close();
                return true;
            }
            return false;
        });
    }

    /**
     * Completes when the backends of these revisions have each checked every replica once, so a
     * routing change made afterwards finds new endpoints already judged (a change of endpoints
     * makes a new backend, whose replicas start unchecked). Call after {@link #sync}.
     */
    public CompletableFuture<Void> checked(List<RevisionSpec> revisions) {
        return CompletableFuture.allOf(revisions.stream().filter(RevisionSpec::isRemote)
                .map(r -> backends.get(r.remote())).filter(java.util.Objects::nonNull)
                .map(RemoteBackend::checked).toArray(CompletableFuture[]::new));
    }

    private Function<URI, ReplicaTransport> transports(RemoteSpec spec) {
        ClientTls tls = spec.endpoints().stream().anyMatch(RemoteSpec::secure) ? ClientTls.of(spec.tls()) : null;
        return spec.protocol().equals(RemoteSpec.GRPC)
                ? uri -> GrpcTransport.open(uri, grpcMaxMessageSize, codec, RemoteSpec.secure(uri) ? tls : null)
                : uri -> new HttpTransport(new ReplicaClient(group, uri, RemoteSpec.secure(uri) ? tls : null,
                        connections), codec);
    }

    @Override
    public CompletableFuture<InferenceResponse> infer(String service, RevisionSpec revision,
            InferenceRequest request, RequestContext context) {
        RemoteBackend backend = backends.get(revision.remote());
        if (backend == null) {
            return CompletableFuture.failedFuture(dev.modelgate.api.InferenceException.unavailable(
                    "revision " + revision.name() + ": replicas not set up yet (expected: ready; retry later)"));
        }
        return backend.infer(service, revision, request, context);
    }

    @Override
    public dev.modelgate.api.ModelMetadata metadata(RevisionSpec revision) {
        RemoteBackend backend = backends.get(revision.remote());
        if (backend == null) {
            throw dev.modelgate.api.InferenceException.unavailable("revision " + revision.name()
                    + ": replicas not set up yet (expected: ready; retry later)");
        }
        return backend.metadata(revision.model(), revision.version());
    }

    @Override
    public boolean ready(RevisionSpec revision) {
        RemoteBackend backend = backends.get(revision.remote());
        return backend != null && backend.ready();
    }

    @Override
    public int availableReplicas(RevisionSpec revision) {
        RemoteBackend backend = backends.get(revision.remote());
        return backend == null ? 0 : backend.availableReplicas();
    }

    /**
     * Closes the backends (later requests fail at once) and every replica connection, in flight
     * or idle, waiting until each has closed. Call it while the event loops the connections run on
     * still run: a loop that stops may leave connections open (CI found them open and registered
     * on terminated loops, Netty 4.2, epoll and NIO alike), and an answer half read on one of them
     * is a buffer nothing releases.
     */
    public synchronized void closeConnections() {
        backends.values().forEach(RemoteBackend::close);
        backends.clear();
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }

    @Override
    public synchronized void close() {
        closeConnections();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        // Queued tasks hold replicas' answer buffers: they run (each releases or hands on its
        // buffer) rather than being dropped with shutdownNow; what comes later is refused, and a
        // refused answer is released by its transport.
        NamedExecutors.shutdown(codec, 2, TimeUnit.SECONDS);
    }
}
