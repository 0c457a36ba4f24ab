package dev.modelgate.server.http;

import dev.modelgate.server.service.ModelRef;
import dev.modelgate.server.service.RequestContext;
import dev.modelgate.server.service.SharedBytes;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * A request after the bind step: what an endpoint needs and nothing of Netty's.
 *
 * @param params the route's captured path parameters
 * @param content the request body as received (empty for none), released when it is answered
 * @param context id, headers and deadline
 * @param eventLoop the connection's event loop (a relay opens its replica connection there), or
 *     {@code null}
 */
record RestRequest(Map<String, String> params, SharedBytes content, RequestContext context,
        Executor eventLoop) {
    RestRequest(Map<String, String> params, byte[] body, RequestContext context) {
        this(params, SharedBytes.of(body), context, null);
    }

    /** The body copied onto the heap (for a decoder); valid until the request is answered. */
    byte[] body() {
        return content.copy();
    }

    /** The {@code {model}} and optional {@code {version}} path parameters. */
    ModelRef model() {
        return ModelRef.of(params.get("model"), params.get("version"));
    }
}
