package dev.modelgate.loadtests;

/**
 * How one request ended: an HTTP status, a gRPC status, or a failure that produced none. A gRPC
 * {@code OK} counts as HTTP 200, so successes are one thing whatever the protocol; other gRPC
 * codes are kept by name, which is how the report counts them.
 *
 * @param status the HTTP status (200 for gRPC {@code OK}), or 0 for a failure or a gRPC error
 * @param grpcCode the name of a gRPC status other than {@code OK} (e.g. {@code UNAVAILABLE}), or {@code null}
 * @param failure why no status came back, or {@code null} when one did
 * @param splitValue the value of the split header on the response, or {@code null}
 */
record Outcome(int status, String grpcCode, Failure failure, String splitValue) {

    /** Ways a request can end without an HTTP response. */
    enum Failure {
        /** The connection to the target could not be opened. */
        CONNECT("connect"),
        /** No response within the request timeout, counted from the intended send time. */
        TIMEOUT("timeout"),
        /** The connection failed or closed while the request was in flight. */
        IO("io"),
        /** Never sent: the cap on outstanding requests was reached (the generator does not slow down instead). */
        NOT_SENT("not-sent");

        private final String label;

        Failure(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    static Outcome response(int status, String splitValue) {
        return new Outcome(status, null, null, splitValue);
    }

    /** A gRPC answer with status {@code code} (a {@code Status.Code} name). */
    static Outcome grpc(String code, String splitValue) {
        return "OK".equals(code) ? response(200, splitValue) : new Outcome(0, code, null, splitValue);
    }

    static Outcome failed(Failure failure) {
        return new Outcome(0, null, failure, null);
    }

    boolean success() {
        return failure == null && status >= 200 && status < 300;
    }

    /** The key this outcome is counted under among errors: the status (or gRPC code name), or the failure's label. */
    String errorKey() {
        return failure != null ? failure.label() : grpcCode != null ? grpcCode : Integer.toString(status);
    }
}
