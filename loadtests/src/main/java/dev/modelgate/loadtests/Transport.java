package dev.modelgate.loadtests;

/**
 * Carries exchanges to the target. {@link #send} never blocks and never refuses: a request that
 * cannot go out at once waits, its clock running, until a connection is free or its deadline
 * passes. The drivers pace and count; the transport only moves bytes.
 */
interface Transport extends AutoCloseable {

    void send(Exchange exchange);

    /** Ends every exchange still open as a timeout and releases the connections. */
    @Override
    void close();
}
