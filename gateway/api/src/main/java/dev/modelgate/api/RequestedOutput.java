package dev.modelgate.api;

import java.util.Map;
import java.util.Objects;

/**
 * An output the client asks for by name ({@code $request_output}), with its parameters such as
 * {@code binary_data}.
 */
public record RequestedOutput(String name, Map<String, Object> parameters) {
    public RequestedOutput {
        Objects.requireNonNull(name, "name");
        parameters = Parameters.copyOf(parameters);
    }

    public static RequestedOutput named(String name) {
        return new RequestedOutput(name, Map.of());
    }
}
