package dev.modelgate.rollout.judge;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One check's conclusion with the numbers behind it, so a human reading the decision log can
 * redo the arithmetic. {@code statistic}, {@code pValue} and {@code effectSize} are NaN where the
 * check has none (a threshold comparison has no p-value); in maps NaN is written as null because
 * JSON has no NaN.
 *
 * @param metric     the check's name, for example {@code latency} or {@code error-rate}
 * @param outcome    pass, fail or inconclusive
 * @param statistic  the test statistic (Mann-Whitney U, z, agreement, or the measured value)
 * @param pValue     the two-sided p-value of the test, NaN for threshold checks
 * @param effectSize how much worse the candidate is (relative latency shift, error-rate points...)
 * @param baselineN  samples on the baseline side
 * @param candidateN samples on the candidate side
 * @param reason     one sentence a human can read
 */
public record Verdict(String metric, Outcome outcome, double statistic, double pValue,
        double effectSize, long baselineN, long candidateN, String reason) {
    public Verdict {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
    }

    static Verdict inconclusive(String metric, long baselineN, long candidateN, String reason) {
        return new Verdict(metric, Outcome.INCONCLUSIVE, Double.NaN, Double.NaN, Double.NaN,
                baselineN, candidateN, reason);
    }

    /** This verdict as plain values (JSON-ready, NaN as null). */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("metric", metric);
        map.put("outcome", outcome.name());
        map.put("statistic", finite(statistic));
        map.put("p-value", finite(pValue));
        map.put("effect-size", finite(effectSize));
        map.put("baseline-n", baselineN);
        map.put("candidate-n", candidateN);
        map.put("reason", reason);
        return map;
    }

    /** The inverse of {@link #toMap()}. */
    public static Verdict fromMap(Map<String, ?> map) {
        return new Verdict((String) map.get("metric"), Outcome.valueOf((String) map.get("outcome")),
                number(map.get("statistic")), number(map.get("p-value")),
                number(map.get("effect-size")), ((Number) map.get("baseline-n")).longValue(),
                ((Number) map.get("candidate-n")).longValue(), (String) map.get("reason"));
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static double number(Object value) {
        return value == null ? Double.NaN : ((Number) value).doubleValue();
    }
}
