package dev.modelgate.server.remote;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.server.service.BadGatewayException;
import dev.modelgate.server.json.AnswerNames;
import dev.modelgate.server.service.RawBody;
import dev.modelgate.server.service.RequestContext;
import dev.modelgate.server.traffic.RemoteSpec;
import dev.modelgate.server.traffic.RevisionSpec;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One set of replicas serving one remote model version, with the request path Envoy would give it:
 * rate limit (429), admission (in-flight limit and bounded queue; 503 with Retry-After when full),
 * deadline (504), balancing over available replicas, retries of requests that never reached a
 * replica (or met a 503) on another replica within the deadline and the retry budget, passive
 * ejection and active health checks. Readiness is "at least one replica available"; a change is
 * reported to the listener so routing follows.
 */
final class RemoteBackend implements AutoCloseable {
    private static final String CLIENT_HEADER = "x-client-id";
    private static final String TIMEOUT_PARAMETER = "timeout";
    private static final long METADATA_TTL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final RemoteSpec spec;
    private final List<Replica> replicas = new ArrayList<>();
    private final List<ReplicaClient> clients = new ArrayList<>();
    private final Balancer balancer;
    private final Admission admission;
    private final RetryBudget budget;
    private final RateLimiter rateLimiter;
    private final EventLoopGroup group;
    private final Executor codec;
    private final LongSupplier clock;
    private final Runnable readinessListener;
    private final ScheduledFuture<?> healthChecks;
    private final MetadataCache metadata;
    private volatile boolean lastReady;

    RemoteBackend(RemoteSpec spec, EventLoopGroup group, Executor codec, LongSupplier clock,
            Runnable readinessListener) {
        this.spec = spec;
        this.group = group;
        this.codec = codec;
        this.clock = clock;
        this.readinessListener = readinessListener;
        for (java.net.URI uri : spec.endpoints()) {
            replicas.add(new Replica(uri, spec.ejectAfter(), spec.ejectFor().toNanos()));
            clients.add(new ReplicaClient(group, uri));
        }
        this.balancer = Balancer.named(spec.balancer());
        this.admission = new Admission(spec.maxInFlight(), spec.maxQueue());
        this.budget = new RetryBudget(spec.retryBudget());
        this.rateLimiter = spec.rateLimit() > 0 ? new RateLimiter(spec.rateLimit()) : null;
        this.metadata = new MetadataCache(this::get, clock, METADATA_TTL_NANOS);
        long interval = spec.healthInterval().toNanos();
        this.healthChecks = group.scheduleWithFixedDelay(this::checkHealth, 0, interval,
                TimeUnit.NANOSECONDS);
    }

    boolean ready() {
        long now = clock.getAsLong();
        return replicas.stream().anyMatch(r -> r.available(now));
    }

    List<Replica> replicas() {
        return replicas;
    }

    private void readinessMayHaveChanged() {
        boolean ready = ready();
        if (ready != lastReady) {
            lastReady = ready;
            if (ready) {
                metadata.refreshAll();
            }
            readinessListener.run();
        }
    }

    /** A model version's metadata as a replica reports it (cached; never waits). */
    ModelMetadata metadata(String model, String version) {
        return metadata.metadata(model, version);
    }

    /** A GET to one available replica, for metadata. */
    private CompletableFuture<ReplicaClient.Answer> get(String path) {
        long now = clock.getAsLong();
        List<Replica> candidates = replicas.stream().filter(r -> r.available(now)).toList();
        if (candidates.isEmpty()) {
            return CompletableFuture.failedFuture(new ReplicaClient.NotSent("no replica available"));
        }
        Replica replica = balancer.pick(candidates);
        return clients.get(replicas.indexOf(replica)).send(HttpMethod.GET, path, new byte[0])
                .orTimeout(Math.max(1, spec.healthInterval().toMillis()) * 5, TimeUnit.MILLISECONDS);
    }

    private void checkHealth() {
        for (int i = 0; i < replicas.size(); i++) {
            Replica replica = replicas.get(i);
            clients.get(i).send(HttpMethod.GET, "/v2/health/ready", new byte[0])
                    .orTimeout(Math.max(1, spec.healthInterval().toMillis()), TimeUnit.MILLISECONDS)
                    .whenComplete((answer, failure) -> {
                        replica.healthy(failure == null && answer.status() == 200);
                        readinessMayHaveChanged();
                    });
        }
    }

    /**
     * @param service the name a relayed answer is given (its version: the revision's name)
     */
    CompletableFuture<InferenceResponse> infer(String service, RevisionSpec revision,
            InferenceRequest request, RequestContext context) {
        String model = revision.model();
        String version = revision.version();
        long now = clock.getAsLong();
        if (rateLimiter != null) {
            String client = context.header(CLIENT_HEADER);
            if (!rateLimiter.tryAcquire(client == null ? "" : client, now)) {
                return CompletableFuture.failedFuture(new InferenceException(
                        ErrorKind.RESOURCE_EXHAUSTED, "client " + (client == null ? "(none)" : client)
                        + ": over " + spec.rateLimit() + " requests/s (expected: fewer; retry later)"));
            }
        }
        long deadline = deadline(request, context, now);
        RawBody raw = context.rawBody();
        byte[] body;
        try {
            body = raw != null ? raw.body() : RemoteJson.request(request);
        } catch (InferenceException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> slot = admission.acquire();
        if (slot == null) {
            return CompletableFuture.failedFuture(InferenceException.unavailable("revision of model "
                    + model + ": " + spec.maxInFlight() + " in flight and " + spec.maxQueue()
                    + " queued (expected: fewer requests; retry later)"));
        }
        budget.request(now);
        String path = "/v2/models/" + encode(model) + (version == null ? "" : "/versions/"
                + encode(version)) + "/infer";
        Call call = new Call(path, body, raw, new InferenceResponse(service, revision.name(),
                request.id(), java.util.Map.of(), List.of()), deadline, slot,
                context.record().traceparent());
        slot.thenRun(() -> call.attempt(null));
        return call.result;
    }

    /** The earliest of the request's deadline, the configured timeout and the OIP timeout (µs). */
    private long deadline(InferenceRequest request, RequestContext context, long now) {
        long deadline = context.deadlineNanos();
        if (spec.timeout() != null) {
            deadline = Math.min(deadline, now + spec.timeout().toNanos());
        }
        Object micros = request.parameters().get(TIMEOUT_PARAMETER);
        if (micros instanceof Long us && us > 0) {
            deadline = Math.min(deadline, now + TimeUnit.MICROSECONDS.toNanos(us));
        }
        return deadline;
    }

    /** One client request through admission, attempts and the deadline. */
    private final class Call {
        final CompletableFuture<InferenceResponse> result = new CompletableFuture<>();
        final String path;
        final byte[] body;
        /** The client's body, forwarded as is; the answer's bytes go back through it. */
        final RawBody raw;
        /** What a relayed answer completes with: names and id, its outputs stay in bytes. */
        final InferenceResponse relayed;
        final CompletableFuture<Void> slot;
        /** The request's trace parent, sent to every replica tried. */
        final String traceparent;
        final Set<Replica> tried = new HashSet<>();
        volatile CompletableFuture<ReplicaClient.Answer> current;
        int retries;

        Call(String path, byte[] body, RawBody raw, InferenceResponse relayed, long deadline,
                CompletableFuture<Void> slot, String traceparent) {
            this.traceparent = traceparent;
            this.path = path;
            this.body = body;
            this.raw = raw;
            this.relayed = relayed;
            this.slot = slot;
            long left = deadline - clock.getAsLong();
            ScheduledFuture<?> timer = group.schedule(this::expire, Math.max(0, left),
                    TimeUnit.NANOSECONDS);
            result.whenComplete((ok, failure) -> {
                timer.cancel(false);
                if (!admission.abandon(slot)) {
                    admission.release();
                }
            });
        }

        private void expire() {
            CompletableFuture<ReplicaClient.Answer> attempt = current;
            if (result.completeExceptionally(new InferenceException(ErrorKind.DEADLINE_EXCEEDED,
                    "deadline: passed waiting for a replica of " + path + " (expected: an answer"
                    + " within the revision's timeout or the request's)"))) {
                if (attempt != null) {
                    attempt.completeExceptionally(new ReplicaClient.Broken("deadline passed"));
                }
            }
        }

        void attempt(String lastError) {
            if (result.isDone()) {
                return;
            }
            long now = clock.getAsLong();
            List<Replica> candidates = new ArrayList<>();
            for (Replica replica : replicas) {
                if (!tried.contains(replica) && replica.available(now)) {
                    candidates.add(replica);
                }
            }
            if (candidates.isEmpty()) {
                result.completeExceptionally(lastError == null
                        ? InferenceException.unavailable("replicas of " + path + ": none healthy"
                                + " (expected: at least one ready replica; retry later)")
                        : new BadGatewayException(lastError));
                return;
            }
            Replica replica = balancer.pick(candidates);
            tried.add(replica);
            replica.started();
            CompletableFuture<ReplicaClient.Answer> attempt =
                    clients.get(replicas.indexOf(replica)).send(HttpMethod.POST, path, body,
                            raw == null ? null : raw.contentType(), raw == null ? -1 : raw.jsonLength(),
                            traceparent);
            current = attempt;
            attempt.whenComplete((answer, failure) -> {
                replica.finished();
                if (result.isDone()) {
                    if (failure != null && !(failure instanceof ReplicaClient.NotSent)) {
                        failed(replica); // cut off by the deadline: a hanging replica
                    }
                    return;
                }
                if (failure != null) {
                    onFailure(replica, failure);
                } else {
                    onAnswer(replica, answer);
                }
            });
        }

        private void onFailure(Replica replica, Throwable failure) {
            failed(replica);
            if (failure instanceof ReplicaClient.NotSent) {
                retryOrFail(replica + ": " + failure.getMessage());
            } else {
                result.completeExceptionally(new BadGatewayException("replica " + replica + ": "
                        + failure.getMessage()));
            }
        }

        private void onAnswer(Replica replica, ReplicaClient.Answer answer) {
            int status = answer.status();
            if (status >= 500 || status < 0) {
                failed(replica);
            } else {
                replica.succeeded();
            }
            if (status == 503) {
                retryOrFail("replica " + replica + ": 503 " + RemoteJson.error(answer.body()));
                return;
            }
            if (status == 200 && raw != null) {
                codec.execute(() -> relay(replica, answer));
                return;
            }
            if (status == 200) {
                codec.execute(() -> decode(replica, answer.body()));
                return;
            }
            String message = "replica " + replica + ": " + (status < 0 ? "malformed HTTP answer"
                    : status + " " + RemoteJson.error(answer.body()));
            result.completeExceptionally(switch (status) {
                case 400 -> InferenceException.invalid(RemoteJson.error(answer.body()));
                case 404 -> InferenceException.notFound(RemoteJson.error(answer.body()));
                case 429 -> new InferenceException(ErrorKind.RESOURCE_EXHAUSTED, message);
                case 504 -> new InferenceException(ErrorKind.DEADLINE_EXCEEDED, message);
                default -> new BadGatewayException(message);
            });
        }

        /** The answer as it came, renamed for the client; only its top-level names are read. */
        private void relay(Replica replica, ReplicaClient.Answer answer) {
            try {
                AnswerNames.Renamed renamed = AnswerNames.rename(answer.body(), answer.jsonLength(),
                        relayed.modelName(), relayed.modelVersion());
                raw.answered(renamed.body(), renamed.jsonLength());
                result.complete(relayed);
            } catch (IllegalArgumentException e) {
                result.completeExceptionally(new BadGatewayException("replica " + replica
                        + ": malformed answer (" + e.getMessage() + ")"));
            }
        }

        private void decode(Replica replica, byte[] body) {
            try {
                result.complete(RemoteJson.response(body));
            } catch (IllegalArgumentException e) {
                result.completeExceptionally(new BadGatewayException("replica " + replica
                        + ": malformed answer (" + e.getMessage() + ")"));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }

        private void retryOrFail(String error) {
            long now = clock.getAsLong();
            if (retries < spec.retries() && budget.tryRetry(now)) {
                retries++;
                attempt(error);
            } else {
                result.completeExceptionally(error.contains(": 503 ")
                        ? InferenceException.unavailable(error + " (expected: a replica with capacity;"
                                + " retry later)")
                        : new BadGatewayException(error));
            }
        }
    }

    private void failed(Replica replica) {
        if (replica.failed(clock.getAsLong())) {
            readinessMayHaveChanged();
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        healthChecks.cancel(false);
        clients.forEach(ReplicaClient::close);
    }
}
