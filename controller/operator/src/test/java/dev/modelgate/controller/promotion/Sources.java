package dev.modelgate.controller.promotion;

import dev.modelgate.controller.crd.ModelPromotion;
import dev.modelgate.controller.crd.ModelPromotionSpec;
import dev.modelgate.controller.crd.ModelPromotionSpec.Gate;
import dev.modelgate.controller.crd.ModelPromotionSpec.ModelUri;
import dev.modelgate.controller.crd.ModelPromotionSpec.Source;
import dev.modelgate.controller.crd.ModelPromotionSpec.TargetRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Training objects as the Kubeflow controllers leave them, built in code, and promotions over them. */
public final class Sources {

    private Sources() {
    }

    /** A source object of a kind with the given status (conditions etc.), in namespace {@code ml}. */
    public static GenericKubernetesResource object(SourceKind kind, String name, String uid,
            Map<String, Object> status) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion(kind.apiVersion());
        r.setKind(kind.kind());
        r.setMetadata(new ObjectMetaBuilder().withNamespace("ml").withName(name).withUid(uid)
                .withResourceVersion("7").withLabels(new LinkedHashMap<>(Map.of("team", "iris"))).build());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("placeholder", true);
        r.setAdditionalProperty("spec", spec);
        if (status != null) {
            r.setAdditionalProperty("status", status);
        }
        return r;
    }

    /** A status whose conditions are each {@code type=True}. */
    public static Map<String, Object> conditions(String... trueTypes) {
        List<Map<String, Object>> conditions = new ArrayList<>();
        conditions.add(Map.of("type", "Created", "status", "True"));
        for (String type : trueTypes) {
            conditions.add(Map.of("type", type, "status", "True", "reason", type + "Reason",
                    "message", type + " message"));
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("conditions", conditions);
        status.put("completionTime", "2026-11-30T01:00:00Z");
        return status;
    }

    /** A completed TrainJob status with these trainer metrics. */
    public static Map<String, Object> trainJobComplete(Map<String, String> metrics) {
        Map<String, Object> status = conditions("Complete");
        status.put("trainerStatus", Map.of("progressPercentage", 100, "metrics", metrics.entrySet().stream()
                .map(e -> Map.of("name", e.getKey(), "value", e.getValue())).toList()));
        return status;
    }

    /** A succeeded Katib experiment whose best trial has one metric. */
    public static Map<String, Object> experimentSucceeded(String bestTrial, String metric, String min, String max,
            String latest) {
        Map<String, Object> status = conditions("Succeeded");
        status.put("currentOptimalTrial", Map.of("bestTrialName", bestTrial,
                "parameterAssignments", List.of(Map.of("name", "lr", "value", "0.01")),
                "observation", Map.of("metrics", List.of(Map.of("name", metric, "min", min, "max", max,
                        "latest", latest)))));
        return status;
    }

    /** The spec of a promotion of {@code kind/name} to ModelDeployment {@code iris}. */
    public static ModelPromotionSpec spec(SourceKind kind, String name, String template, Gate gate) {
        return new ModelPromotionSpec(new TargetRef("iris"), new Source(kind.kind(), name, null),
                template == null ? null : new ModelUri(null, template), gate, 10, null);
    }

    /** A promotion object with a spec, generation 1, no status. */
    public static ModelPromotion promotion(ModelPromotionSpec spec) {
        ModelPromotion p = new ModelPromotion();
        p.setMetadata(new ObjectMetaBuilder().withNamespace("ml").withName("iris-from-training").withUid("p-1")
                .withGeneration(1L).withResourceVersion("1").build());
        p.setSpec(spec);
        return p;
    }
}
