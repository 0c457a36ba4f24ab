package dev.modelgate.controller.scale;

import java.util.Objects;

/**
 * A revision as the gateway names it: the service (the ModelDeployment's name) and the revision (its Deployment's
 * name).
 *
 * @param service the gateway service
 * @param revision the revision
 */
public record RevisionKey(String service, String revision) {

    /** Both names are required. */
    public RevisionKey {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(revision, "revision");
    }
}
