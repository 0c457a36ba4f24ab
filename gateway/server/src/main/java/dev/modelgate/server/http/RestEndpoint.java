package dev.modelgate.server.http;

import java.util.concurrent.CompletableFuture;

/** One route's handler. It may fail the future or throw; either way the ErrorMapper answers. */
@FunctionalInterface
interface RestEndpoint {
    CompletableFuture<RestResponse> serve(RestRequest request);
}
