package dev.modelgate.controller;

/** The root of the controller's unchecked exceptions. */
public class ControllerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** An exception with a message. */
    public ControllerException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public ControllerException(String message, Throwable cause) {
        super(message, cause);
    }
}
