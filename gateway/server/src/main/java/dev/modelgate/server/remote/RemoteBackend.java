package dev.modelgate.server.remote;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.Parameters;
import dev.modelgate.server.remote.ReplicaTransport.ErrorAnswer;
import dev.modelgate.server.remote.ReplicaTransport.NotSent;
import dev.modelgate.server.remote.ReplicaTransport.Outbound;
import dev.modelgate.server.remote.ReplicaTransport.Refused;
import dev.modelgate.server.service.BadGatewayException;
import dev.modelgate.server.service.RequestContext;
import dev.modelgate.server.traffic.RemoteSpec;
import dev.modelgate.server.traffic.RevisionSpec;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One set of replicas serving one remote model version, with the request path Envoy would give it:
 * rate limit (429), admission (in-flight limit and bounded queue; 503 with Retry-After when full),
 * deadline (504), balancing over available replicas, retries of requests that never reached a
 * replica (or met a 503) on another replica within the deadline and the retry budget (one that
 * never reached the last replica left may go to it once more, on another connection), passive
 * ejection and active health checks, and an optional per-attempt timeout ({@code attempt-timeout}):
 * an attempt unanswered by then is abandoned for another replica when one is left and the retries
 * and the budget allow (a hanging replica costs a bounded slice of the deadline, as Envoy's
 * {@code per_try_timeout}); with nowhere to go it keeps its chance until the deadline, so a lone
 * slow replica is never cut short. Readiness is "at least one replica available"; a change is
 * reported to the listener so routing follows. The policy is written once against
 * {@link ReplicaTransport}'s outcomes; HTTP and gRPC replicas differ only in their transport.
 */
final class RemoteBackend implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteBackend.class);
    private static final String CLIENT_HEADER = "x-client-id";
    private static final long METADATA_TTL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final RemoteSpec spec;
    private final List<Replica> replicas = new ArrayList<>();
    private final List<ReplicaTransport> transports = new ArrayList<>();
    private final Balancer balancer;
    private final Admission admission;
    private final RetryBudget budget;
    private final RateLimiter rateLimiter;
    private final ScheduledExecutorService timers;
    private final LongSupplier clock;
    private final Runnable readinessListener;
    private final ScheduledFuture<?> healthChecks;
    private final MetadataCache metadata;
    private volatile boolean lastReady;
    /** Replicas whose health has been checked at least once; see {@link #checked()}. */
    private final Set<Replica> checkedOnce = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> checked = new CompletableFuture<>();

    /**
     * @param connect opens the transport to one replica endpoint
     * @param timers runs deadlines and health checks (the client event loops)
     */
    RemoteBackend(RemoteSpec spec, Function<URI, ReplicaTransport> connect,
            ScheduledExecutorService timers, LongSupplier clock, Runnable readinessListener) {
        this.spec = spec;
        this.timers = timers;
        this.clock = clock;
        this.readinessListener = readinessListener;
        for (URI uri : spec.endpoints()) {
            replicas.add(new Replica(uri, spec.ejectAfter(), spec.ejectFor().toNanos()));
            transports.add(connect.apply(uri));
        }
        this.balancer = Balancer.named(spec.balancer());
        this.admission = new Admission(spec.maxInFlight(), spec.maxQueue());
        this.budget = new RetryBudget(spec.retryBudget());
        this.rateLimiter = spec.rateLimit() > 0 ? new RateLimiter(spec.rateLimit()) : null;
        this.metadata = new MetadataCache(this::fetchMetadata, clock, METADATA_TTL_NANOS);
        if (replicas.isEmpty()) {
            checked.complete(null);
        }
        long interval = spec.healthInterval().toNanos();
        this.healthChecks = timers.scheduleWithFixedDelay(this::checkHealth, 0, interval,
                TimeUnit.NANOSECONDS);
    }

    boolean ready() {
        return availableReplicas() > 0;
    }

    /**
     * Completes once every replica's health has been checked (answered or timed out): a backend
     * made for new endpoints is warm then, as Envoy warms a new cluster before it takes traffic.
     */
    CompletableFuture<Void> checked() {
        return checked;
    }

    /** Replicas healthy and not ejected now. */
    int availableReplicas() {
        long now = clock.getAsLong();
        return (int) replicas.stream().filter(r -> r.available(now)).count();
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

    /** Asks one available replica for metadata. */
    private CompletableFuture<ModelMetadata> fetchMetadata(String model, String version) {
        long now = clock.getAsLong();
        List<Replica> candidates = replicas.stream().filter(r -> r.available(now)).toList();
        if (candidates.isEmpty()) {
            return CompletableFuture.failedFuture(new NotSent("no replica available"));
        }
        Replica replica = balancer.pick(candidates);
        return transports.get(replicas.indexOf(replica)).metadata(model, version,
                spec.healthInterval().toNanos() * 5);
    }

    private void checkHealth() {
        for (int i = 0; i < replicas.size(); i++) {
            Replica replica = replicas.get(i);
            transports.get(i).ready(spec.healthInterval().toNanos()).whenComplete((ready, failed) -> {
                if (failed == null) {
                    replica.healthy(ready);
                    readinessMayHaveChanged();
                }
                if (checkedOnce.add(replica) && checkedOnce.size() == replicas.size()) {
                    checked.complete(null);
                }
            });
        }
    }

    /**
     * @param service the name a relayed answer is given (its version: the revision's name)
     */
    CompletableFuture<InferenceResponse> infer(String service, RevisionSpec revision,
            InferenceRequest request, RequestContext context) {
        String model = revision.model();
        long now = clock.getAsLong();
        if (rateLimiter != null) {
            // With authentication on, the key's configured name; a client's x-client-id then
            // cannot put its requests in another client's bucket.
            String client = context.record().client() != null ? context.record().client()
                    : context.header(CLIENT_HEADER);
            if (!rateLimiter.tryAcquire(client == null ? "" : client, now)) {
                return CompletableFuture.failedFuture(new InferenceException(
                        ErrorKind.RESOURCE_EXHAUSTED, "client " + (client == null ? "(none)" : client)
                        + ": over " + spec.rateLimit() + " requests/s (expected: fewer; retry later)"));
            }
        }
        long deadline = deadline(request, context, now);
        CompletableFuture<Void> slot = admission.acquire();
        if (slot == null) {
            return CompletableFuture.failedFuture(InferenceException.unavailable("revision of model "
                    + model + ": " + spec.maxInFlight() + " in flight and " + spec.maxQueue()
                    + " queued (expected: fewer requests; retry later)"));
        }
        budget.request(now);
        Outbound outbound = new Outbound(model, revision.version(), request, context.rawBody(),
                new InferenceResponse(service, revision.name(), request == null ? null : request.id(), java.util.Map.of(),
                        List.of()), context.record().traceparent());
        Call call = new Call(outbound, deadline, slot, context.requestId());
        slot.thenRun(() -> call.attempt(null));
        return call.result;
    }

    /** The earliest of the request's deadline, the configured timeout and the OIP timeout (µs). */
    private long deadline(InferenceRequest request, RequestContext context, long now) {
        long deadline = context.deadlineNanos();
        if (spec.timeout() != null) {
            deadline = Math.min(deadline, now + spec.timeout().toNanos());
        }
        // An undecoded relay (null request) has no OIP timeout: the header's and config's apply.
        Object micros = request == null ? null : request.parameters().get(Parameters.TIMEOUT);
        if (micros instanceof Long us) { // positive: InferenceRequest refuses any other value
            long nanos = TimeUnit.MICROSECONDS.toNanos(us); // saturates; compared, never added blind
            if (nanos < deadline - now) {
                deadline = now + nanos;
            }
        }
        return deadline;
    }

    /** One client request through admission, attempts and the deadline. */
    private final class Call {
        final CompletableFuture<InferenceResponse> result = new CompletableFuture<>();
        final Outbound outbound;
        final long deadline;
        final CompletableFuture<Void> slot;
        final String requestId;
        /**
         * Replicas this request went to, replaced on each attempt (attempts follow one another;
         * the attempt-timeout timer only reads it): most requests make one attempt, so a copy per
         * retry is cheaper than a concurrent set per request.
         */
        private volatile List<Replica> tried = List.of();
        volatile CompletableFuture<InferenceResponse> current;
        /**
         * A replica that never got the request, which may take it once more when no other can: the
         * usual cause is a keep-alive connection it closed as the request was written, and the
         * pool hands out another connection (a single replica would otherwise turn that race
         * into a 502; Go's and OkHttp's clients resend such a request too).
         */
        private volatile Replica sendAgain;
        private volatile boolean sentAgain;
        private int retries; // guarded by this: the attempt-timeout timer takes retries too

        Call(Outbound outbound, long deadline, CompletableFuture<Void> slot, String requestId) {
            this.outbound = outbound;
            this.requestId = requestId;
            this.deadline = deadline;
            this.slot = slot;
            long left = deadline - clock.getAsLong();
            // A relayed request's deadline runs on its inbound event loop, like its exchange.
            ScheduledExecutorService clockOn = outbound.raw() != null
                    && outbound.raw().eventLoop() instanceof ScheduledExecutorService loop
                    ? loop : timers;
            ScheduledFuture<?> timer = clockOn.schedule(this::expire, Math.max(0, left),
                    TimeUnit.NANOSECONDS);
            result.whenComplete((ok, failure) -> {
                timer.cancel(false);
                if (!admission.abandon(slot)) {
                    admission.release();
                }
            });
        }

        private void expire() {
            CompletableFuture<InferenceResponse> attempt = current;
            if (result.completeExceptionally(new InferenceException(ErrorKind.DEADLINE_EXCEEDED,
                    "deadline: passed waiting for a replica of " + what() + " (expected: an answer"
                    + " within the revision's timeout or the request's)"))) {
                if (attempt != null) {
                    attempt.completeExceptionally(new ReplicaTransport.Broken("deadline passed"));
                }
            }
        }

        void attempt(String lastError) {
            if (result.isDone()) {
                return;
            }
            long now = clock.getAsLong();
            List<Replica> candidates = candidates(now);
            Replica again = sendAgain;
            sendAgain = null;
            if (candidates.isEmpty() && again != null && again.available(now)
                    && transports.get(replicas.indexOf(again)).reachable()) {
                sentAgain = true;
                candidates = List.of(again);
            }
            if (candidates.isEmpty()) {
                fail(lastError == null
                        ? InferenceException.unavailable("replicas of " + what() + ": none healthy"
                                + " (expected: at least one ready replica; retry later)")
                        : new BadGatewayException(lastError));
                return;
            }
            Replica replica = balancer.pick(candidates);
            tried = tried.isEmpty() ? List.of(replica) : plus(tried, replica);
            replica.started();
            CompletableFuture<InferenceResponse> attempt = send(replica, now);
            current = attempt;
            ScheduledFuture<?> cutoff = spec.attemptTimeout() == null
                    || spec.attemptTimeout().toNanos() >= deadline - now ? null
                    : timers.schedule(() -> cutOff(attempt, replica), spec.attemptTimeout().toNanos(),
                            TimeUnit.NANOSECONDS);
            attempt.whenComplete((response, failure) -> {
                if (cutoff != null) {
                    cutoff.cancel(false);
                }
                replica.finished();
                if (result.isDone()) {
                    if (failure != null && !(failure instanceof NotSent)) {
                        failed(replica); // cut off by the deadline: a hanging replica
                    }
                    return;
                }
                if (failure == null) {
                    replica.succeeded();
                    result.complete(response);
                } else {
                    onFailure(replica, failure);
                }
            });
        }

        private void onFailure(Replica replica, Throwable thrown) {
            Throwable failure = thrown instanceof java.util.concurrent.CompletionException
                    && thrown.getCause() != null ? thrown.getCause() : thrown;
            if (failure instanceof AttemptTimedOut) {
                failed(replica); // the retry was taken when the attempt was cut off
                attempt(failure.getMessage());
                return;
            }
            if (failure instanceof ErrorAnswer answer) {
                if (answer.replicaFault) {
                    failed(replica);
                } else {
                    replica.succeeded();
                }
                fail(answer.error);
                return;
            }
            failed(replica);
            if (failure instanceof NotSent) {
                if (!sentAgain) {
                    sendAgain = replica;
                }
                retryOrFail("replica " + replica + ": " + failure.getMessage(), false);
            } else if (failure instanceof Refused) {
                retryOrFail(failure.getMessage(), true);
            } else {
                fail(new BadGatewayException("replica " + replica + ": " + failure.getMessage()));
            }
        }

        /**
         * Ends the call with a replica's failure: the detail (address, the replica's own text) to
         * the log with the request id, the client a failure without it ({@link ReplicaErrors}).
         */
        private void fail(InferenceException failure) {
            InferenceException forClient = ReplicaErrors.forClient(failure, "revision "
                    + outbound.named().modelVersion() + " of service " + outbound.named().modelName(),
                    requestId);
            if (forClient != failure && result.completeExceptionally(forClient)) {
                LOG.warn("request {}: {}: {}", requestId, what(), failure.getMessage());
            } else {
                result.completeExceptionally(failure);
            }
        }

        /**
         * The attempt-timeout passed: abandons the attempt when another replica may take the
         * request (taking the retry now); otherwise the attempt keeps going until the deadline.
         */
        private void cutOff(CompletableFuture<InferenceResponse> attempt, Replica replica) {
            long now = clock.getAsLong();
            synchronized (this) {
                if (result.isDone() || attempt.isDone() || retries >= spec.retries()
                        || !anotherCandidate(now) || !budget.tryRetry(now)) {
                    return;
                }
                retries++;
            }
            if (!attempt.completeExceptionally(new AttemptTimedOut("replica " + replica
                    + ": no answer within attempt-timeout " + spec.attemptTimeout().toMillis()
                    + " ms"))) {
                synchronized (this) {
                    retries--; // it answered meanwhile
                }
            }
        }

        /** What the request asked for, in error messages (built only for one). */
        private String what() {
            return "model " + outbound.model() + (outbound.version() == null ? ""
                    : " version " + outbound.version());
        }

        private static List<Replica> plus(List<Replica> list, Replica replica) {
            List<Replica> more = new ArrayList<>(list);
            more.add(replica);
            return List.copyOf(more);
        }

        /** Replicas not tried yet that are available and that their transport can reach. */
        private List<Replica> candidates(long now) {
            List<Replica> candidates = new ArrayList<>();
            for (int i = 0; i < replicas.size(); i++) {
                Replica replica = replicas.get(i);
                if (!tried.contains(replica) && replica.available(now)
                        && transports.get(i).reachable()) {
                    candidates.add(replica);
                }
            }
            return candidates;
        }

        private boolean anotherCandidate(long now) {
            return !candidates(now).isEmpty();
        }

        private CompletableFuture<InferenceResponse> send(Replica replica, long now) {
            try {
                return transports.get(replicas.indexOf(replica))
                        .infer(outbound, Math.max(0, deadline - now));
            } catch (RuntimeException e) {
                // A transport that throws instead of failing its future: answer, never hang (this
                // runs inside other futures' callbacks, where a throw is silently dropped).
                return CompletableFuture.failedFuture(e);
            }
        }

        /** @param refused the replica said it could not take it (503), rather than never got it */
        private void retryOrFail(String error, boolean refused) {
            long now = clock.getAsLong();
            boolean retry;
            synchronized (this) {
                retry = retries < spec.retries() && budget.tryRetry(now);
                if (retry) {
                    retries++;
                }
            }
            if (retry) {
                attempt(error);
            } else {
                fail(refused
                        ? InferenceException.unavailable(error + " (expected: a replica with capacity;"
                                + " retry later)")
                        : new BadGatewayException(error));
            }
        }
    }

    /** An attempt abandoned at its attempt-timeout for another replica (never leaves the backend). */
    private static final class AttemptTimedOut extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AttemptTimedOut(String message) {
            super(message, null, false, false);
        }
    }

    private void failed(Replica replica) {
        if (replica.failed(clock.getAsLong())) {
            readinessMayHaveChanged();
        }
    }

    @Override
    public void close() {
        healthChecks.cancel(false);
        transports.forEach(ReplicaTransport::close);
    }
}
