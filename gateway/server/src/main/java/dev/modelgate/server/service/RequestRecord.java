package dev.modelgate.server.service;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the request path learns about one request while serving it, for metrics and the access
 * log: the protocol (set at bind), the service and revision that took it (set by the router), the
 * time it queued and computed and its batch size (set where the batch runs), the W3C trace parent.
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
    private String service;
    private String revision;
    private long queueNanos = -1;
    private long computeNanos = -1;
    private int batchSize;
    private String traceparent;
    private String clientSubject;
    private final AtomicBoolean measured = new AtomicBoolean();

    public Protocol protocol() {
        return protocol;
    }

    public RequestRecord protocol(Protocol value) {
        this.protocol = value;
        return this;
    }

    /** The service and revision routing chose; {@code null} until routed. */
    public void routed(String serviceName, String revisionName) {
        this.service = serviceName;
        this.revision = revisionName;
    }

    public String service() {
        return service;
    }

    public String revision() {
        return revision;
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
