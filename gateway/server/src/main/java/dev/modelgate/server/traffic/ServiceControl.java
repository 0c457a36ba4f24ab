package dev.modelgate.server.traffic;

import dev.modelgate.server.routing.TrafficPolicy;
import dev.modelgate.server.shadow.Disagreement;
import java.util.List;

/**
 * What the admin plane may do to services. Every change is validated first and applied as one
 * atomic swap of the routing table; an invalid change throws
 * {@link dev.modelgate.api.InferenceException} (INVALID_ARGUMENT or NOT_FOUND) and changes nothing.
 */
public interface ServiceControl {
    List<ServiceStatus> services();

    ServiceStatus service(String name);

    /** Replaces the traffic block (weights, rules, shadow, routing key). */
    ServiceStatus setTraffic(String service, TrafficPolicy traffic);

    /** Adds a revision with weight 0 (a dark launch). */
    ServiceStatus addRevision(String service, RevisionSpec revision);

    /** Removes a revision that has no weight, rule or shadow pointing at it. */
    ServiceStatus removeRevision(String service, String revision);

    /**
     * Makes the canary the stable revision with all the traffic.
     *
     * @param revision the canary, or {@code null} for the non-stable revision with the most weight
     */
    ServiceStatus promote(String service, String revision);

    /** Sends all traffic back to the stable revision. */
    ServiceStatus rollback(String service);

    /** The latest shadow disagreements of a service, newest first. */
    List<Disagreement> disagreements(String service);
}
