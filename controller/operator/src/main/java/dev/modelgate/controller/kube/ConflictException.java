package dev.modelgate.controller.kube;

import dev.modelgate.controller.ControllerException;

/**
 * A write lost a race (HTTP 409: a stale {@code resourceVersion}, or an object created meanwhile). Not an error:
 * the work queue reconciles the key again from fresh caches.
 */
public final class ConflictException extends ControllerException {

    private static final long serialVersionUID = 1L;

    ConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
