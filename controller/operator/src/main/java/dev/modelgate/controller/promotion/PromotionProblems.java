package dev.modelgate.controller.promotion;

import dev.modelgate.controller.crd.ModelPromotionSpec;
import dev.modelgate.controller.crd.ModelPromotionSpec.Gate;
import dev.modelgate.controller.crd.ModelPromotionSpec.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything wrong with a promotion's spec, each as {@code key: value (expected: ...)}, all in one pass. The CRD
 * schema catches most of it at admission; this catches what a schema cannot say (name or selector, a gate on a kind
 * without metrics) and protects the controller from objects written before the schema tightened.
 */
public final class PromotionProblems {

    private static final Set<String> OPERATORS = Set.of(">=", ">", "<=", "<", "==");
    private static final Set<String> KATIB_VALUES = Set.of("latest", "min", "max");

    private PromotionProblems() {
    }

    /** The problems; empty when the spec can be acted on. */
    public static List<String> of(ModelPromotionSpec spec) {
        List<String> problems = new ArrayList<>();
        if (spec == null) {
            return List.of("spec: null (expected: targetRef and source)");
        }
        if (spec.targetRef() == null || blank(spec.targetRef().name())) {
            problems.add("targetRef.name: " + (spec.targetRef() == null ? null : spec.targetRef().name())
                    + " (expected: the name of a ModelDeployment in this namespace)");
        }
        Optional<SourceKind> kind = Optional.empty();
        Source source = spec.source();
        if (source == null) {
            problems.add("source: null (expected: kind with name or matchLabels)");
        } else {
            kind = SourceKind.of(source.kind());
            if (kind.isEmpty()) {
                problems.add("source.kind: " + source.kind() + " (expected: one of PyTorchJob, TFJob, XGBoostJob,"
                        + " JAXJob, PaddleJob, MPIJob, TrainJob, Experiment)");
            }
            boolean named = !blank(source.name());
            boolean selected = source.matchLabels() != null && !source.matchLabels().isEmpty();
            if (named == selected) {
                problems.add("source: name=" + source.name() + " matchLabels=" + source.matchLabels()
                        + " (expected: exactly one of name and matchLabels)");
            }
        }
        if (spec.modelUri() != null && spec.modelUri().template() != null && blank(spec.modelUri().template())) {
            problems.add("modelUri.template: '" + spec.modelUri().template() + "' (expected: a URI such as"
                    + " s3://models/{name}/)");
        }
        gate(spec.gate(), kind, problems);
        if (spec.canaryTrafficPercent() != null
                && (spec.canaryTrafficPercent() < 0 || spec.canaryTrafficPercent() > 100)) {
            problems.add("canaryTrafficPercent: " + spec.canaryTrafficPercent() + " (expected: 0 to 100)");
        }
        return List.copyOf(problems);
    }

    private static void gate(Gate gate, Optional<SourceKind> kind, List<String> problems) {
        if (gate == null) {
            return;
        }
        if (blank(gate.metric())) {
            problems.add("gate.metric: " + gate.metric() + " (expected: a metric name such as accuracy)");
        }
        if (!OPERATORS.contains(gate.operator())) {
            problems.add("gate.operator: " + gate.operator() + " (expected: one of >=, >, <=, <, ==)");
        }
        if (gate.threshold() == null || !Double.isFinite(gate.threshold())) {
            problems.add("gate.threshold: " + gate.threshold() + " (expected: a finite number)");
        }
        if (gate.value() != null && !KATIB_VALUES.contains(gate.value())) {
            problems.add("gate.value: " + gate.value() + " (expected: latest, min or max)");
        }
        if (kind.isPresent() && kind.get().family() == SourceKind.Family.TRAINING_OPERATOR) {
            problems.add("gate: " + gate.metric() + " on " + kind.get().kind() + " (expected: a TrainJob or"
                    + " Experiment source; Training Operator v1 jobs report no metrics)");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
