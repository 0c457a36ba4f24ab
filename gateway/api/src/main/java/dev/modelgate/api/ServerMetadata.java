package dev.modelgate.api;

import java.util.List;

/** The server's identity and the protocol extensions it implements ({@code $metadata_server_response}). */
public record ServerMetadata(String name, String version, List<String> extensions) {
    public ServerMetadata {
        extensions = List.copyOf(extensions);
    }
}
