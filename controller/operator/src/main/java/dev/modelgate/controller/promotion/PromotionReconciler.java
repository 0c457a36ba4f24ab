package dev.modelgate.controller.promotion;

import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.crd.ModelDeploymentSpec;
import dev.modelgate.controller.crd.ModelPromotion;
import dev.modelgate.controller.crd.ModelPromotionSpec;
import dev.modelgate.controller.crd.ModelPromotionStatus;
import dev.modelgate.controller.crd.ModelPromotionStatus.SourceRecord;
import dev.modelgate.controller.crd.ModelSpec;
import dev.modelgate.controller.reconcile.Reconcile.ControllerEvent;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The promotion's decide step: a pure function of the observed promotion, its sources and its target, and the
 * injected clock, returning one {@link PromotionStep}.
 *
 * <p>Exactly once per source is a sequence of single writes, each guarded by the {@code resourceVersion} the
 * informer saw (a stale cache loses with 409 and is retried): (1) a completed source is recorded as
 * {@code status.pending}, URI included, before anything else; (2) while a source is pending, the target is written
 * with the new model and the annotation {@link #PROMOTED_SOURCE} naming the source's uid; (3) a target carrying that
 * annotation moves the pending source to {@code handled}. A restart or a new leader between any two steps finds the
 * state of the last write and continues from it; a source in {@code handled} is never looked at again.
 */
public final class PromotionReconciler {

    /** Annotation on the target: the uid of the source whose model it was last given. */
    public static final String PROMOTED_SOURCE = "serving.modelgate.dev/promoted-source";
    /** Annotation on the target: the promotion that wrote it. */
    public static final String PROMOTED_BY = "serving.modelgate.dev/promoted-by";
    /** How many handled sources the status keeps. */
    static final int HANDLED_KEPT = 100;

    private final Clock clock;

    /** A reconciler reading time from {@code clock}. */
    public PromotionReconciler(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Decides the next step for one promotion. */
    public PromotionStep reconcile(ObservedPromotion observed) {
        ModelPromotion promotion = observed.promotion();
        ModelPromotionStatus old = promotion.getStatus();
        Long generation = promotion.getMetadata().getGeneration();
        Conditions conditions = new Conditions(clock.instant(), generation == null ? 0 : generation,
                old == null ? null : old.conditions());
        List<String> problems = PromotionProblems.of(promotion.getSpec());
        if (!problems.isEmpty()) {
            return notReady(observed, conditions, "InvalidSpec", String.join("; ", problems), true);
        }
        ModelPromotionSpec spec = promotion.getSpec();
        Optional<ModelDeployment> target = observed.target();
        if (target.isEmpty() || target.get().getSpec() == null) {
            return notReady(observed, conditions, "TargetNotFound", "ModelDeployment " + spec.targetRef().name()
                    + " not found in " + promotion.getMetadata().getNamespace(), false);
        }
        if (target.get().getSpec().revisions() != null && !target.get().getSpec().revisions().isEmpty()) {
            return notReady(observed, conditions, "TargetHasExplicitRevisions", "ModelDeployment "
                    + spec.targetRef().name() + " lists explicit revisions; a promotion changes model.uri", true);
        }
        if (old != null && old.pending() != null) {
            return applyPending(observed, target.get(), conditions);
        }
        if (!observed.kindInstalled()) {
            return notReady(observed, conditions, "SourceKindNotInstalled", "no CRD for " + spec.source().kind()
                    + " (" + SourceKind.of(spec.source().kind()).map(SourceKind::crdName).orElse("?")
                    + "); watching for it", false);
        }
        String forgottenBefore = forgottenBefore(old);
        List<GenericKubernetesResource> sources = observed.sources().stream()
                .filter(s -> selects(spec.source(), s))
                .filter(s -> completionTime(s).compareTo(forgottenBefore) >= 0)
                .sorted(Comparator.comparing(PromotionReconciler::completionTime)
                        .thenComparing(s -> s.getMetadata().getName()))
                .toList();
        for (GenericKubernetesResource source : sources) {
            SourceVerdict verdict = SourceVerdicts.decide(spec, source, old);
            if (!(verdict instanceof SourceVerdict.Wait)) {
                return handle(observed, target.get(), conditions, source, verdict);
            }
        }
        return steady(observed, target.get(), conditions, List.of());
    }

    /** Whether the promotion's source names or selects this object. */
    static boolean selects(ModelPromotionSpec.Source source, GenericKubernetesResource object) {
        if (source.name() != null && !source.name().isBlank()) {
            return source.name().equals(object.getMetadata().getName());
        }
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels != null && source.matchLabels() != null
                && source.matchLabels().entrySet().stream()
                        .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    private PromotionStep handle(ObservedPromotion observed, ModelDeployment target, Conditions conditions,
            GenericKubernetesResource source, SourceVerdict verdict) {
        ModelPromotion promotion = observed.promotion();
        ModelPromotionStatus old = promotion.getStatus();
        String what = promotion.getSpec().source().kind() + " " + source.getMetadata().getName();
        if (verdict instanceof SourceVerdict.Promote promote) {
            return PromotionStep.status(
                    with(observed, conditions, conditions.set(Conditions.READY, true, "SourceCompleted",
                            what + " completed; promoting " + promote.uri()),
                            record(source, promote.uri(), "Pending", null), handled(old)),
                    List.of(new ControllerEvent(false, "SourceCompleted", what + " completed with model "
                            + promote.uri() + "; promoting it to ModelDeployment " + target.getMetadata().getName())));
        }
        if (verdict instanceof SourceVerdict.SourceFailed failed) {
            return refused(observed, conditions, record(source, null, Conditions.SOURCE_FAILED, failed.message()),
                    Conditions.SOURCE_FAILED, failed.reason(), failed.message());
        }
        if (verdict instanceof SourceVerdict.GateFailed gate) {
            return refused(observed, conditions, record(source, gate.uri(), Conditions.GATE_FAILED, gate.message()),
                    Conditions.GATE_FAILED, "MetricBelowThreshold", what + ": " + gate.message());
        }
        return steady(observed, target, conditions, List.of());
    }

    private PromotionStep refused(ObservedPromotion observed, Conditions conditions, SourceRecord record,
            String type, String reason, String message) {
        List<SourceRecord> handled = append(handled(observed.promotion().getStatus()), record);
        ModelPromotionStatus old = observed.promotion().getStatus();
        List<Condition> list = List.of(
                conditions.set(Conditions.READY, true, "Watching", watching(observed)),
                conditions.keep(Conditions.PROMOTED, "NothingPromoted", "no model promoted yet"),
                type.equals(Conditions.GATE_FAILED) ? conditions.set(type, true, reason, message)
                        : conditions.set(Conditions.GATE_FAILED, false, "NotGated", "the latest source was not gated"),
                type.equals(Conditions.SOURCE_FAILED) ? conditions.set(type, true, reason, message)
                        : conditions.set(Conditions.SOURCE_FAILED, false, "SourceCompleted",
                                "the latest source completed"));
        ModelPromotionStatus status = new ModelPromotionStatus(observed.promotion().getMetadata().getGeneration(),
                list, old == null ? null : old.lastPromotedSource(), old == null ? null : old.lastPromotedUri(),
                old == null ? null : old.rolloutOutcome(), null, handled);
        return PromotionStep.status(status, List.of(new ControllerEvent(true, reason, message)));
    }

    private PromotionStep applyPending(ObservedPromotion observed, ModelDeployment target, Conditions conditions) {
        ModelPromotion promotion = observed.promotion();
        ModelPromotionStatus old = promotion.getStatus();
        SourceRecord pending = old.pending();
        Map<String, String> annotations = target.getMetadata().getAnnotations();
        if (annotations == null || !pending.uid().equals(annotations.get(PROMOTED_SOURCE))) {
            return PromotionStep.target(promoted(target, promotion, pending));
        }
        SourceRecord done = pending.with("Promoted", null, target.getMetadata().getGeneration());
        String message = pending.kind() + " " + pending.name() + ": model " + pending.modelUri()
                + " is a new revision of ModelDeployment " + target.getMetadata().getName();
        List<Condition> list = List.of(
                conditions.set(Conditions.READY, true, "Watching", watching(observed)),
                conditions.set(Conditions.PROMOTED, true, "Promoted", message),
                conditions.set(Conditions.GATE_FAILED, false, "GatePassed", "the latest source passed the gate"),
                conditions.set(Conditions.SOURCE_FAILED, false, "SourceCompleted", "the latest source completed"));
        ModelPromotionStatus status = new ModelPromotionStatus(promotion.getMetadata().getGeneration(), list, done,
                done.modelUri(), "Progressing", null, append(handled(old), done));
        return PromotionStep.status(status, List.of(new ControllerEvent(false, "Promoted", message)));
    }

    /** The target with the pending model: a changed model.uri the ModelDeployment reconcile turns into a canary. */
    static ModelDeployment promoted(ModelDeployment target, ModelPromotion promotion, SourceRecord pending) {
        ModelDeploymentSpec s = target.getSpec();
        ModelPromotionSpec p = promotion.getSpec();
        ModelSpec model = new ModelSpec(s.model().format(), pending.modelUri(), s.model().runtime(),
                s.model().protocolVersion());
        ModelDeployment copy = new ModelDeployment();
        copy.setMetadata(new ObjectMetaBuilder(target.getMetadata())
                .addToAnnotations(PROMOTED_SOURCE, pending.uid())
                .addToAnnotations(PROMOTED_BY, promotion.getMetadata().getName())
                .build());
        copy.setSpec(new ModelDeploymentSpec(model, s.resources(), s.nodeSelector(), s.tolerations(),
                s.minReplicas(), s.maxReplicas(), s.scaleMetric(), s.scaleTarget(), s.batching(), s.revisions(),
                p.canaryTrafficPercent() != null ? p.canaryTrafficPercent() : s.canaryTrafficPercent(),
                p.rollout() != null ? p.rollout() : s.rollout(), s.shadow()));
        copy.setStatus(target.getStatus());
        return copy;
    }

    private PromotionStep steady(ObservedPromotion observed, ModelDeployment target, Conditions conditions,
            List<ControllerEvent> events) {
        ModelPromotionStatus old = observed.promotion().getStatus();
        String outcome = outcome(old, target);
        List<ControllerEvent> all = new ArrayList<>(events);
        if (outcome != null && !outcome.equals(old.rolloutOutcome()) && !outcome.equals("Progressing")) {
            all.add(new ControllerEvent(outcome.equals("Aborted"), "Rollout" + outcome, "rollout of "
                    + old.lastPromotedUri() + " on ModelDeployment " + target.getMetadata().getName() + ": "
                    + outcome));
        }
        ModelPromotionStatus status = new ModelPromotionStatus(observed.promotion().getMetadata().getGeneration(),
                defaults(conditions, conditions.set(Conditions.READY, true, "Watching", watching(observed))),
                old == null ? null : old.lastPromotedSource(), old == null ? null : old.lastPromotedUri(), outcome,
                null, handled(old));
        return status.equals(old) ? PromotionStep.nothing() : PromotionStep.status(status, all);
    }

    private PromotionStep notReady(ObservedPromotion observed, Conditions conditions, String reason, String message,
            boolean warn) {
        ModelPromotionStatus old = observed.promotion().getStatus();
        Condition ready = conditions.set(Conditions.READY, false, reason, message);
        ModelPromotionStatus status = new ModelPromotionStatus(observed.promotion().getMetadata().getGeneration(),
                defaults(conditions, ready), old == null ? null : old.lastPromotedSource(),
                old == null ? null : old.lastPromotedUri(), old == null ? null : old.rolloutOutcome(),
                old == null ? null : old.pending(), handled(old));
        if (status.equals(old)) {
            return PromotionStep.nothing();
        }
        Condition before = conditions.find(Conditions.READY);
        boolean news = before == null || !message.equals(before.getMessage());
        return PromotionStep.status(status, warn && news ? List.of(new ControllerEvent(true, reason, message))
                : List.of());
    }

    private static List<Condition> defaults(Conditions conditions, Condition ready) {
        return List.of(ready,
                conditions.keep(Conditions.PROMOTED, "NothingPromoted", "no model promoted yet"),
                conditions.keep(Conditions.GATE_FAILED, "NotGated", "no source failed a gate"),
                conditions.keep(Conditions.SOURCE_FAILED, "NoFailure", "no source failed"));
    }

    private ModelPromotionStatus with(ObservedPromotion observed, Conditions conditions, Condition ready,
            SourceRecord pending, List<SourceRecord> handled) {
        ModelPromotionStatus old = observed.promotion().getStatus();
        return new ModelPromotionStatus(observed.promotion().getMetadata().getGeneration(),
                defaults(conditions, ready), old == null ? null : old.lastPromotedSource(),
                old == null ? null : old.lastPromotedUri(), old == null ? null : old.rolloutOutcome(), pending,
                handled);
    }

    /** The outcome of the last promotion's rollout, read from the target's conditions. */
    static String outcome(ModelPromotionStatus old, ModelDeployment target) {
        if (old == null || old.lastPromotedSource() == null) {
            return null;
        }
        SourceRecord last = old.lastPromotedSource();
        Map<String, String> annotations = target.getMetadata().getAnnotations();
        if (annotations == null || !Objects.equals(last.uid(), annotations.get(PROMOTED_SOURCE))
                || target.getStatus() == null) {
            return old.rolloutOutcome();
        }
        List<Condition> cs = target.getStatus().conditions();
        if (Conditions.isTrue(cs, "RolloutAborted")) {
            return "Aborted";
        }
        Long observedGeneration = target.getStatus().observedGeneration();
        if (observedGeneration != null && last.targetGeneration() != null
                && observedGeneration >= last.targetGeneration() && Conditions.isTrue(cs, "RolloutSucceeded")) {
            return "Succeeded";
        }
        return "Progressing";
    }

    private static String watching(ObservedPromotion observed) {
        ModelPromotionSpec.Source source = observed.promotion().getSpec().source();
        return "following " + source.kind() + " " + (source.name() != null ? source.name()
                : "with labels " + source.matchLabels());
    }

    private static SourceRecord record(GenericKubernetesResource source, String uri, String outcome,
            String message) {
        return new SourceRecord(source.getKind(), source.getMetadata().getName(), source.getMetadata().getUid(),
                source.getMetadata().getResourceVersion(), completionTime(source), uri, outcome, message, null);
    }

    private static String completionTime(GenericKubernetesResource source) {
        String time = Fields.string(Fields.map(source.getAdditionalProperties().get("status")).get("completionTime"));
        return time != null ? time : Objects.requireNonNullElse(source.getMetadata().getCreationTimestamp(), "");
    }

    /**
     * Once {@code handled} is full its oldest records are dropped; a source that completed before the oldest one
     * kept may be one of them, so it is not looked at (timestamps are RFC 3339 in UTC and compare as text).
     */
    static String forgottenBefore(ModelPromotionStatus old) {
        List<SourceRecord> handled = handled(old);
        if (handled.size() < HANDLED_KEPT) {
            return "";
        }
        return handled.stream().map(r -> Objects.requireNonNullElse(r.completionTime(), ""))
                .min(Comparator.naturalOrder()).orElse("");
    }

    private static List<SourceRecord> handled(ModelPromotionStatus old) {
        return old == null || old.handled() == null ? List.of() : old.handled();
    }

    private static List<SourceRecord> append(List<SourceRecord> handled, SourceRecord record) {
        List<SourceRecord> all = new ArrayList<>(handled);
        all.add(record);
        return List.copyOf(all.size() <= HANDLED_KEPT ? all : all.subList(all.size() - HANDLED_KEPT, all.size()));
    }
}
