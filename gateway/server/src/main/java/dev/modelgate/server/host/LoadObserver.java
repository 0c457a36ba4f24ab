package dev.modelgate.server.host;

/**
 * Told about every model version load the host attempts (at start-up and at run time), so the
 * metrics can count load times and failures without the host knowing about meters.
 */
public interface LoadObserver {
    /** {@code model} version {@code version} loaded (and warmed up) in {@code nanos}. */
    void loaded(String model, String version, long nanos);

    /** Loading {@code model} version {@code version} failed. */
    void failed(String model, String version);
}
