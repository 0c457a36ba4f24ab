package dev.modelgate.controller.promotion;

import dev.modelgate.controller.crd.ModelPromotionSpec;
import dev.modelgate.controller.crd.ModelPromotionSpec.Gate;
import dev.modelgate.controller.crd.ModelPromotionStatus;
import dev.modelgate.controller.crd.ModelPromotionStatus.SourceRecord;
import dev.modelgate.controller.promotion.SourceKind.Family;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The decision for one source: a pure function of the promotion's spec, the source object as the informer saw it
 * and the promotion's previous status. No clock is needed: completion is what the source's conditions say, and
 * "already handled" is what the status recorded.
 *
 * <p>The URI is found before the gate is checked so a refused model is still named in the status and the event
 * (the job itself may be deleted by its TTL soon after).
 */
public final class SourceVerdicts {

    /** The annotation read for the model URI when the promotion names none. */
    public static final String MODEL_URI_ANNOTATION = "serving.modelgate.dev/model-uri";
    private static final Pattern URI = Pattern.compile("^(file|pvc|https?|s3)://.+");

    private SourceVerdicts() {
    }

    /** What {@code source} means for the promotion now. */
    public static SourceVerdict decide(ModelPromotionSpec spec, GenericKubernetesResource source,
            ModelPromotionStatus previous) {
        SourceKind kind = SourceKind.of(spec.source().kind()).orElseThrow(
                () -> new IllegalArgumentException("source.kind: " + spec.source().kind()));
        String uid = source.getMetadata().getUid();
        if (handled(previous, uid)) {
            return new SourceVerdict.Wait("already handled");
        }
        Map<String, Object> status = Fields.map(source.getAdditionalProperties().get("status"));
        Optional<Map<String, Object>> failed = trueCondition(status, "Failed");
        if (failed.isPresent()) {
            return new SourceVerdict.SourceFailed("SourceFailed", spec.source().kind() + " "
                    + source.getMetadata().getName() + " failed: " + Fields.text(failed.get().get("reason"))
                    + ": " + Fields.text(failed.get().get("message")));
        }
        if (trueCondition(status, kind.completeCondition()).isEmpty()) {
            return new SourceVerdict.Wait("not " + kind.completeCondition() + " yet");
        }
        String bestTrial = null;
        if (kind.family() == Family.KATIB) {
            bestTrial = Fields.string(Fields.map(status.get("currentOptimalTrial")).get("bestTrialName"));
            if (bestTrial == null || bestTrial.isBlank()) {
                return new SourceVerdict.SourceFailed("NoBestTrial", "Experiment " + source.getMetadata().getName()
                        + " succeeded without a best trial (status.currentOptimalTrial.bestTrialName)");
            }
        }
        Optional<String> uri = modelUri(spec, source, bestTrial);
        if (uri.isEmpty()) {
            return new SourceVerdict.SourceFailed("NoModelUri", spec.source().kind() + " "
                    + source.getMetadata().getName() + " has no model URI: annotation " + annotation(spec)
                    + " absent and no modelUri.template");
        }
        if (!URI.matcher(uri.get()).matches()) {
            return new SourceVerdict.SourceFailed("InvalidModelUri", "modelUri: " + uri.get()
                    + " (expected: file://, pvc://, http(s):// or s3://)");
        }
        if (spec.gate() != null) {
            Optional<String> value = metric(kind, status, spec.gate());
            if (value.isEmpty() || !passes(value.get(), spec.gate())) {
                return new SourceVerdict.GateFailed(spec.gate().metric(), value.orElse("absent"),
                        spec.gate().operator(), spec.gate().threshold(), uri.get());
            }
        }
        return new SourceVerdict.Promote(uri.get());
    }

    /** Whether the status already holds this source, pending or handled. */
    static boolean handled(ModelPromotionStatus previous, String uid) {
        if (previous == null || uid == null) {
            return false;
        }
        return Stream.concat(Stream.ofNullable(previous.pending()),
                        previous.handled() == null ? Stream.empty() : previous.handled().stream())
                .map(SourceRecord::uid).anyMatch(uid::equals);
    }

    /** The annotation the URI is read from. */
    static String annotation(ModelPromotionSpec spec) {
        return spec.modelUri() != null && spec.modelUri().fromAnnotation() != null
                ? spec.modelUri().fromAnnotation() : MODEL_URI_ANNOTATION;
    }

    private static Optional<String> modelUri(ModelPromotionSpec spec, GenericKubernetesResource source,
            String bestTrial) {
        Map<String, String> annotations = source.getMetadata().getAnnotations();
        String annotated = annotations == null ? null : annotations.get(annotation(spec));
        if (annotated != null && !annotated.isBlank()) {
            return Optional.of(annotated.trim());
        }
        if (spec.modelUri() == null || spec.modelUri().template() == null) {
            return Optional.empty();
        }
        String name = source.getMetadata().getName();
        return Optional.of(spec.modelUri().template()
                .replace("{name}", bestTrial != null ? bestTrial : name)
                .replace("{source}", name)
                .replace("{namespace}", Objects.requireNonNullElse(source.getMetadata().getNamespace(), "")));
    }

    /** The metric's value as the source wrote it (a string in both APIs). */
    private static Optional<String> metric(SourceKind kind, Map<String, Object> status, Gate gate) {
        List<Map<String, Object>> metrics = switch (kind.family()) {
            case TRAINER -> Fields.maps(Fields.map(status.get("trainerStatus")).get("metrics"));
            case KATIB -> Fields.maps(Fields.map(Fields.map(status.get("currentOptimalTrial"))
                    .get("observation")).get("metrics"));
            case TRAINING_OPERATOR -> List.of();
        };
        String field = kind.family() == Family.TRAINER ? "value"
                : Objects.requireNonNullElse(gate.value(), "latest");
        return metrics.stream().filter(m -> gate.metric().equals(m.get("name")))
                .map(m -> Fields.string(m.get(field))).filter(Objects::nonNull).findFirst();
    }

    static boolean passes(String value, Gate gate) {
        double v;
        try {
            v = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Double.isNaN(v)) {
            return false;
        }
        double t = gate.threshold();
        return switch (gate.operator()) {
            case ">=" -> v >= t;
            case ">" -> v > t;
            case "<=" -> v <= t;
            case "<" -> v < t;
            case "==" -> v == t;
            default -> false;
        };
    }

    private static Optional<Map<String, Object>> trueCondition(Map<String, Object> status, String type) {
        return Fields.maps(status.get("conditions")).stream()
                .filter(c -> type.equals(c.get("type")) && "True".equals(Fields.string(c.get("status"))))
                .findFirst();
    }
}
