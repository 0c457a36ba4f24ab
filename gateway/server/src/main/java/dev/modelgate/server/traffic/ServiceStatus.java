package dev.modelgate.server.traffic;

import dev.modelgate.server.routing.TrafficPolicy;
import java.util.List;

/** A service as the admin API shows it: its stable revision, every revision and its traffic. */
public record ServiceStatus(String name, String stable, List<RevisionStatus> revisions,
        TrafficPolicy traffic) {
    public ServiceStatus {
        revisions = List.copyOf(revisions);
    }
}
