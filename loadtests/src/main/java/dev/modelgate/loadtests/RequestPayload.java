package dev.modelgate.loadtests;

/**
 * The one request body a run sends over and over, built before the run so that encoding costs
 * nothing while measuring.
 *
 * @param path the request path, {@code /v2/models/{model}/infer}
 * @param contentType the body's content type
 * @param body the whole body
 * @param inferenceHeaderLength the length of the JSON part of a binary-extension body, or -1 for plain JSON
 * @param description a few words for reports, for example {@code json, 1 input, 16 bytes}
 */
record RequestPayload(String path, String contentType, byte[] body, int inferenceHeaderLength,
        String description) {
    /** Header naming the length of the JSON part of a body that carries binary tensors. */
    static final String INFERENCE_HEADER_CONTENT_LENGTH = "Inference-Header-Content-Length";

    RequestPayload {
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    boolean binary() {
        return inferenceHeaderLength >= 0;
    }

    int length() {
        return body.length;
    }

    /** The bytes without a copy, for the transport that sends them. */
    byte[] bodyUnsafe() {
        return body;
    }
}
