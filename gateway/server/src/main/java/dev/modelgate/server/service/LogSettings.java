package dev.modelgate.server.service;

import java.util.Map;

/**
 * Triton's logging extension ({@code GET/POST v2/logging}, gRPC {@code LogSettings}): the process's
 * log settings under Triton's keys, read and changed while it runs. Values are {@link Boolean},
 * {@link Long} (unsigned) or {@link String}, as the protocol's JSON and proto forms carry them.
 */
public interface LogSettings {
    /** Every setting with its current value. */
    Map<String, Object> current();

    /**
     * Applies {@code changes} all at once, or none of them.
     *
     * @return every setting after the change
     * @throws dev.modelgate.api.InferenceException INVALID_ARGUMENT naming each unknown key and
     *     each value that does not fit its key
     */
    Map<String, Object> update(Map<String, Object> changes);
}
