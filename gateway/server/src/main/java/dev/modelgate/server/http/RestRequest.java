package dev.modelgate.server.http;

import dev.modelgate.server.service.ModelRef;
import dev.modelgate.server.service.RequestContext;
import java.util.Map;

/**
 * A request after the bind step: what an endpoint needs and nothing of Netty's.
 *
 * @param params the route's captured path parameters
 * @param body the request body, empty for none
 * @param context id, headers and deadline
 */
record RestRequest(Map<String, String> params, byte[] body, RequestContext context) {
    /** The {@code {model}} and optional {@code {version}} path parameters. */
    ModelRef model() {
        return ModelRef.of(params.get("model"), params.get("version"));
    }
}
