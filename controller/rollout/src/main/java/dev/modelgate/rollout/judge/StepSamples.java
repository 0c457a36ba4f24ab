package dev.modelgate.rollout.judge;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One revision's observations over one judged window: per-request latencies, the number of
 * requests and of 5xx-class errors, the shadow comparisons (on the candidate side, only while
 * mirroring) and the values of external metrics that the driver measured (PromQL results, by the
 * metric's name; also on the candidate side).
 *
 * <p>Samples from several gateway replicas over the same window {@link #merge} exactly: counts
 * add, histograms add bucket by bucket, shadow maxima take the max. External metric values are
 * not per replica (Prometheus already aggregates them), so a merge keeps one value per name and
 * two different values for one name are an error rather than a silent choice.
 *
 * @param latencies latencies in milliseconds
 * @param requests  requests answered (any outcome)
 * @param errors    requests answered with a 5xx-class outcome
 * @param shadow    shadow comparisons, empty when the window had no mirroring
 * @param metrics   external metric values by metric name
 */
public record StepSamples(LatencyHistogram latencies, long requests, long errors,
        Optional<ShadowAgreement> shadow, Map<String, Double> metrics) {
    public StepSamples {
        Objects.requireNonNull(latencies, "latencies");
        Objects.requireNonNull(shadow, "shadow");
        metrics = Map.copyOf(metrics);
        if (requests < 0 || errors < 0 || errors > requests) {
            throw new IllegalArgumentException("requests, errors: " + requests + ", " + errors
                    + " (expected: 0 <= errors <= requests)");
        }
    }

    public static StepSamples empty() {
        return new StepSamples(LatencyHistogram.empty(), 0, 0, Optional.empty(), Map.of());
    }

    /** Latencies, request and error counts; no shadow, no external metrics. */
    public static StepSamples of(LatencyHistogram latencies, long requests, long errors) {
        return new StepSamples(latencies, requests, errors, Optional.empty(), Map.of());
    }

    public StepSamples withShadow(ShadowAgreement agreement) {
        return new StepSamples(latencies, requests, errors, Optional.of(agreement), metrics);
    }

    public StepSamples withMetric(String name, double value) {
        Map<String, Double> more = new TreeMap<>(metrics);
        more.put(name, value);
        return new StepSamples(latencies, requests, errors, shadow, more);
    }

    /** The observations of both, as if one gateway had seen them all. */
    public StepSamples merge(StepSamples other) {
        Optional<ShadowAgreement> mergedShadow = shadow.isEmpty() ? other.shadow
                : other.shadow.isEmpty() ? shadow : Optional.of(shadow.get().merge(other.shadow.get()));
        Map<String, Double> mergedMetrics = new TreeMap<>(metrics);
        other.metrics.forEach((name, value) -> {
            Double mine = mergedMetrics.putIfAbsent(name, value);
            if (mine != null && !mine.equals(value)) {
                throw new IllegalArgumentException("metrics." + name + ": " + mine + " and " + value
                        + " (expected: one value per external metric and window)");
            }
        });
        return new StepSamples(latencies.merge(other.latencies), requests + other.requests,
                errors + other.errors, mergedShadow, mergedMetrics);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("latencies", latencies.toMap());
        map.put("requests", requests);
        map.put("errors", errors);
        shadow.ifPresent(s -> map.put("shadow", s.toMap()));
        map.put("metrics", new TreeMap<>(metrics));
        return map;
    }

    @SuppressWarnings("unchecked")
    public static StepSamples fromMap(Map<String, ?> map) {
        Map<String, Double> metrics = new TreeMap<>();
        if (map.get("metrics") instanceof Map<?, ?> rawMetrics) {
            rawMetrics.forEach((name, value) -> metrics.put((String) name, ((Number) value).doubleValue()));
        }
        Object shadow = map.get("shadow");
        return new StepSamples(LatencyHistogram.fromMap((Map<String, ?>) map.get("latencies")),
                ((Number) map.get("requests")).longValue(), ((Number) map.get("errors")).longValue(),
                shadow == null ? Optional.empty()
                        : Optional.of(ShadowAgreement.fromMap((Map<String, ?>) shadow)), metrics);
    }
}
