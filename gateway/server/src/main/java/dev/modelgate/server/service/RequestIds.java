package dev.modelgate.server.service;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Request ids, for every transport: the client's {@code x-request-id} when it is a short token (so ids correlate across
 * hops), else 16 random hex digits. Not a secret, so a fast non-cryptographic source is enough.
 */
public final class RequestIds {
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {
    }

    /** The client's id when acceptable, else a fresh one. */
    public static String accept(String fromClient) {
        if (fromClient != null && ACCEPTED.matcher(fromClient).matches()) {
            return fromClient;
        }
        return String.format("%016x", ThreadLocalRandom.current().nextLong());
    }
}
