package dev.modelgate.server.service;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the request path learns about one request while serving it, for metrics and the access
 * log: the protocol (set at bind), the service and revision that took it (set by the router), the
 * time it queued and computed and its batch size (set where the batch runs), the W3C trace parent,
 * the authenticated client's configured name (set at bind from what the authentication step
 * decided).
 *
 * <p>Each field is written once by one step and read after the request's future completed, which
 * orders the write before the read; so plain fields suffice. It never holds tensor data.
 */
public final class RequestRecord {
    /** The wire protocol a request came in on; a bounded metrics tag. */
    public enum Protocol {
        REST("rest"), GRPC("grpc"), V1("v1");

        private final String tag;

        Protocol(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    private Protocol protocol = Protocol.REST;
    private RevisionKey revision;
    private long queueNanos = -1;
    private long computeNanos = -1;
    private int batchSize;
    private String traceparent;
    private String client;
    private String clientSubject;
    private final AtomicBoolean measured = new AtomicBoolean();
    private volatile long inputNanos;
    private volatile java.util.function.LongConsumer outputs;

    public Protocol protocol() {
        return protocol;
    }

    public RequestRecord protocol(Protocol value) {
        this.protocol = value;
        return this;
    }

    /**
     * The authenticated client's configured name (a bounded set), or {@code null} when the data
     * plane has no authentication or the call needed none.
     */
    public String client() {
        return client;
    }

    public RequestRecord client(String name) {
        this.client = name;
        return this;
    }

    /** The service and revision routing chose; {@code null} until routed. */
    public void routed(String serviceName, String revisionName) {
        routed(new RevisionKey(serviceName, revisionName));
    }

    /** The revision routing chose, as its snapshot made it (per-revision state memoized on it). */
    public void routed(RevisionKey key) {
        this.revision = key;
    }

    /** The revision routing chose, or {@code null} until routed. */
    public RevisionKey revisionKey() {
        return revision;
    }

    public String service() {
        return revision == null ? null : revision.service();
    }

    public String revision() {
        return revision == null ? null : revision.revision();
    }

    /** Where the batch ran: how long this request queued, how long the batch computed, its size. */
    public void ran(long queuedNanos, long computedNanos, int size) {
        this.queueNanos = queuedNanos;
        this.computeNanos = computedNanos;
        this.batchSize = size;
    }

    /** Nanoseconds queued, or -1 when the request never reached an instance. */
    public long queueNanos() {
        return queueNanos;
    }

    /** Nanoseconds its batch computed, or -1 when it never ran. */
    public long computeNanos() {
        return computeNanos;
    }

    /** The size of the batch it ran in, or 0 when it never ran. */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Claims the request for the metrics: true the first time only. The inference metrics claim
     * it when the request reaches the service; an answer written for an unclaimed request (it
     * failed before: bad body, unknown path) is then counted by the transport's observer.
     */
    public boolean measure() {
        return !measured.get() && measured.compareAndSet(false, true);
    }

    /**
     * Adds time spent turning the request into tensors (the transport's decode, the host's
     * validation): the statistics' compute_input. Called by one thread at a time, in order.
     */
    public void input(long nanos) {
        inputNanos += Math.max(0, nanos);
    }

    /** Nanoseconds spent preparing the input so far. */
    public long inputNanos() {
        return inputNanos;
    }

    /**
     * Who counts the time the transport then spends encoding the answer (the host's statistics,
     * once the request ran): the answer is encoded after the host has finished with it.
     */
    public void onOutput(java.util.function.LongConsumer sink) {
        this.outputs = sink;
    }

    /** The answer took {@code nanos} to encode: told to the {@link #onOutput} sink, if any. */
    public void output(long nanos) {
        java.util.function.LongConsumer sink = outputs;
        if (sink != null) {
            sink.accept(Math.max(0, nanos));
        }
    }

    public String traceparent() {
        return traceparent;
    }

    public void traceparent(String value) {
        this.traceparent = value;
    }

    /** The subject DN of the client certificate TLS verified (mTLS), or {@code null}: none, or no TLS. */
    public String clientSubject() {
        return clientSubject;
    }

    public void clientSubject(String value) {
        this.clientSubject = value;
    }
}
