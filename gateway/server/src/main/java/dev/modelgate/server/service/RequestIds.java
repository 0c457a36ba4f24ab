package dev.modelgate.server.service;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids, for every transport: the client's {@code x-request-id} when it is a short token (so ids correlate across
 * hops), else 16 random hex digits. Not a secret, so a fast non-cryptographic source is enough.
 */
public final class RequestIds {
    private static final int MAX_LENGTH = 128;

    private RequestIds() {
    }

    /** The client's id when acceptable, else a fresh one. */
    public static String accept(String fromClient) {
        if (fromClient != null && acceptable(fromClient)) {
            return fromClient;
        }
        return Hex16.of(ThreadLocalRandom.current().nextLong());
    }

    /** 1 to 128 of {@code [A-Za-z0-9._:-]}; a loop, since this runs on every request's event loop. */
    private static boolean acceptable(String id) {
        int length = id.length();
        if (length == 0 || length > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '.' || c == '_' || c == ':' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
