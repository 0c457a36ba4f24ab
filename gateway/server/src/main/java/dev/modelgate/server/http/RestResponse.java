package dev.modelgate.server.http;

import java.util.Map;

/**
 * A response before the write step: status, JSON body and extra headers. Every body this server
 * sends is JSON.
 */
record RestResponse(int status, byte[] body, Map<String, String> headers) {
    static RestResponse json(int status, byte[] body) {
        return new RestResponse(status, body, Map.of());
    }
}
