package dev.modelgate.controller.reconcile;

import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.crd.ModelDeploymentSpec;
import dev.modelgate.controller.crd.RolloutSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The routing table the controller publishes for the gateway: one ConfigMap per ModelDeployment, labelled
 * {@code serving.modelgate.dev/routing-table: "true"}, whose {@code services.yaml} is the gateway's own
 * {@code services:} block (README, "Runtime servers and remote revisions") with one service named after the
 * ModelDeployment. Two keys are the cluster's additions, explained in the header written into the ConfigMap:
 * {@code endpoints-from} replaces a literal {@code endpoints} list, and {@code rollout} hands a progressive rollout
 * to the gateway. The gateway reads these ConfigMaps through the API (not as mounted files) so a change applies
 * within a second.
 */
final class RoutingTable {

    static final String HEADER = """
            # Routing table of ModelDeployment %s/%s, written by %s; edits are overwritten.
            # Format: the gateway's `services:` block (README "Runtime servers and remote revisions"),
            # one service named after the ModelDeployment, one remote revision per running revision.
            # Cluster additions:
            #   endpoints-from: {namespace, service, port}  the revision's headless Service; the gateway's
            #     discovery watches its EndpointSlices and serves one endpoint per ready pod (so P2C
            #     balancing, ejection and retries work per pod) instead of a literal `endpoints:` list.
            #   rollout: the progressive rollout the gateway runs for the canary (its own keys).
            #   scale-to-zero: true  the autoscaler may take the revision to zero pods (minReplicas: 0); the
            #     gateway keeps routing to it and holds its requests until a pod is ready (the activator).
            # A revision that has no ready pod has weight 0 unless it is marked scale-to-zero; retired
            # revisions are absent.
            """;

    private RoutingTable() {
    }

    static ConfigMap render(ModelDeployment md, RevisionPlan plan, Map<String, String> protocols) {
        String name = md.getMetadata().getName();
        String namespace = md.getMetadata().getNamespace();
        List<Map<String, Object>> revisions = new ArrayList<>();
        Map<String, Object> weights = new LinkedHashMap<>();
        for (PlannedRevision r : plan.active()) {
            boolean grpc = "grpc-v2".equals(protocols.get(r.name()));
            Map<String, Object> revision = new LinkedHashMap<>();
            revision.put("name", r.name());
            revision.put("model", name);
            revision.put("version", Names.MODEL_VERSION);
            if (grpc) {
                revision.put("protocol", "grpc");
            }
            Map<String, Object> from = new LinkedHashMap<>();
            from.put("namespace", namespace);
            from.put("service", r.name());
            // The Service port's name, not its number: the gateway takes each slice's number for it, as
            // kube-proxy resolves a named target port (pods may listen on different numbers).
            from.put("port", grpc ? "grpc" : "http");
            revision.put("endpoints-from", from);
            if (r.scaleToZero()) {
                revision.put("scale-to-zero", true);
            }
            revisions.add(revision);
            weights.put(r.name(), r.weight());
        }
        Map<String, Object> traffic = new LinkedHashMap<>();
        traffic.put("weights", weights);
        ModelDeploymentSpec spec = md.getSpec();
        if (spec.shadow() != null) {
            Map<String, Object> shadow = new LinkedHashMap<>();
            shadow.put("revision", revisionName(name, spec.shadow().revision(), plan));
            shadow.put("percent", spec.shadow().percent() == null ? 100 : spec.shadow().percent());
            traffic.put("shadow", shadow);
        }
        Map<String, Object> service = new LinkedHashMap<>();
        service.put("name", name);
        service.put("revisions", revisions);
        service.put("traffic", traffic);
        if (plan.delegated()) {
            service.put("rollout", rollout(spec.rollout(), plan));
        }
        String yaml = WorkloadFactory.SERIALIZATION.asYaml(Map.of("services", List.of(service)))
                .replaceFirst("^---\n", "");
        Map<String, String> labels = new TreeMap<>();
        labels.put(Names.DEPLOYMENT_LABEL, name);
        labels.put(Names.ROUTING_TABLE_LABEL, "true");
        labels.put(Names.COMPONENT_LABEL, "routing-table");
        ConfigMap map = new ConfigMapBuilder()
                .withMetadata(WorkloadFactory.meta(md, Names.routingTable(name), labels, new TreeMap<>()))
                .withData(Map.of(Names.ROUTING_TABLE_KEY, HEADER.formatted(namespace, name, Names.MANAGER) + yaml))
                .build();
        return WorkloadFactory.stamp(map, map.getData());
    }

    /** A shadow may name a revision by its short name (explicit form) or its full name. */
    private static String revisionName(String deployment, String revision, RevisionPlan plan) {
        return plan.revision(revision).isPresent() ? revision : deployment + "-" + revision;
    }

    private static Map<String, Object> rollout(RolloutSpec rollout, RevisionPlan plan) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("baseline", plan.stable());
        out.put("candidate", plan.canary());
        if (rollout.steps() != null) {
            List<Map<String, Object>> steps = new ArrayList<>();
            rollout.steps().forEach(s -> {
                Map<String, Object> step = new LinkedHashMap<>();
                step.put("weight", s.weight());
                step.put("hold", s.hold());
                steps.add(step);
            });
            out.put("steps", steps);
        }
        putIfSet(out, "step-weight", rollout.stepWeight());
        putIfSet(out, "max-weight", rollout.maxWeight());
        putIfSet(out, "interval", rollout.interval());
        putIfSet(out, "judge", rollout.judge());
        return out;
    }

    private static void putIfSet(Map<String, Object> out, String key, Object value) {
        if (value != null) {
            out.put(key, value);
        }
    }
}
