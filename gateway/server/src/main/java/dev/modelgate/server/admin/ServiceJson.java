package dev.modelgate.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.api.InferenceException;
import dev.modelgate.server.traffic.RevisionSpec;
import dev.modelgate.server.traffic.RevisionStatus;
import dev.modelgate.server.traffic.ServiceConfig;
import dev.modelgate.server.traffic.ServiceStatus;
import dev.modelgate.server.traffic.TrafficPolicyJson;
import dev.modelgate.server.shadow.Disagreement;
import java.util.ArrayList;
import java.util.List;

/** The admin API's JSON for services, revisions and disagreements. */
final class ServiceJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ServiceJson() {
    }

    static ObjectNode services(List<ServiceStatus> services) {
        ObjectNode node = JSON.objectNode();
        ArrayNode array = node.putArray("services");
        services.forEach(s -> array.add(service(s)));
        return node;
    }

    static ObjectNode service(ServiceStatus service) {
        ObjectNode node = JSON.objectNode().put("name", service.name()).put("stable", service.stable());
        ArrayNode revisions = node.putArray("revisions");
        for (RevisionStatus revision : service.revisions()) {
            ObjectNode r = revisions.addObject()
                    .put("name", revision.spec().name())
                    .put("model", revision.spec().model());
            if (revision.spec().version() != null) {
                r.put("version", revision.spec().version());
            }
            r.put("ready", revision.ready())
                    .put("weight", revision.weight())
                    .put("effective-weight", revision.effectiveWeight());
        }
        node.set("traffic", TrafficPolicyJson.write(service.traffic()));
        return node;
    }

    static ObjectNode disagreements(List<Disagreement> disagreements) {
        ObjectNode node = JSON.objectNode();
        ArrayNode array = node.putArray("disagreements");
        for (Disagreement d : disagreements) {
            ObjectNode item = array.addObject()
                    .put("at", d.at().toString())
                    .put("primary", d.primaryRevision())
                    .put("shadow", d.shadowRevision())
                    .put("request-id", d.requestId());
            if (d.shadowError() != null) {
                item.put("shadow-error", d.shadowError());
            }
            if (d.comparison() != null) {
                item.put("rows", d.comparison().rows())
                        .put("agreeing-rows", d.comparison().agreeingRows())
                        .put("max-abs-diff", d.comparison().maxAbsDiff())
                        .put("max-rel-diff", d.comparison().maxRelDiff());
                if (d.comparison().mismatch() != null) {
                    item.put("mismatch", d.comparison().mismatch());
                }
            }
        }
        return node;
    }

    /** Reads {@code {"name": "v2", "model": "iris", "version": "2"}}, reporting every problem. */
    static RevisionSpec revision(JsonNode node) {
        List<String> problems = new ArrayList<>();
        RevisionSpec revision = ServiceConfig.revision(node, "revision", problems);
        if (!problems.isEmpty()) {
            throw InferenceException.invalid(String.join("; ", problems));
        }
        return revision;
    }
}
