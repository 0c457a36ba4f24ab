package dev.modelgate.controller.deploy;

import dev.modelgate.controller.ControllerException;

/** A deploy request that cannot be carried out as asked (a bad flag, a missing format): exit code 2. */
public final class DeployException extends ControllerException {

    private static final long serialVersionUID = 1L;

    /** A refusal with its {@code name: value (expected: ...)} message. */
    public DeployException(String message) {
        super(message);
    }
}
