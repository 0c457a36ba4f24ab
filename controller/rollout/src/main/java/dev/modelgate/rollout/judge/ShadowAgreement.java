package dev.modelgate.rollout.judge;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the gateway's shadow comparator saw over a step: how many primary/shadow answer pairs were
 * compared, how many output rows agreed on the top-1 class (or were equal), and the largest
 * absolute and relative differences of any output element. Merging sums the counts and keeps the
 * maxima, so it is associative and commutative like {@link LatencyHistogram#merge}.
 *
 * @param comparisons   answer pairs compared
 * @param rows          output rows compared (a structural mismatch counts as one disagreeing row)
 * @param agreeingRows  rows that agreed
 * @param maxAbsDiff    the largest |primary - shadow| of any element
 * @param maxRelDiff    the largest |primary - shadow| / max(|primary|, |shadow|) of any element
 */
public record ShadowAgreement(long comparisons, long rows, long agreeingRows, double maxAbsDiff,
        double maxRelDiff) {
    private static final ShadowAgreement NONE = new ShadowAgreement(0, 0, 0, 0, 0);

    public ShadowAgreement {
        if (comparisons < 0 || rows < 0 || agreeingRows < 0 || agreeingRows > rows
                || !(maxAbsDiff >= 0) || !(maxRelDiff >= 0)) {
            throw new IllegalArgumentException("shadow agreement: " + comparisons + " comparisons, "
                    + agreeingRows + "/" + rows + " rows, " + maxAbsDiff + ", " + maxRelDiff
                    + " (expected: counts >= 0, agreeing <= rows, differences >= 0)");
        }
    }

    /** Nothing compared yet. */
    public static ShadowAgreement none() {
        return NONE;
    }

    /** The top-1 agreement rate, NaN without rows. */
    public double agreement() {
        return rows == 0 ? Double.NaN : (double) agreeingRows / rows;
    }

    public ShadowAgreement merge(ShadowAgreement other) {
        return new ShadowAgreement(comparisons + other.comparisons, rows + other.rows,
                agreeingRows + other.agreeingRows, Math.max(maxAbsDiff, other.maxAbsDiff),
                Math.max(maxRelDiff, other.maxRelDiff));
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("comparisons", comparisons);
        map.put("rows", rows);
        map.put("agreeing-rows", agreeingRows);
        map.put("max-abs-diff", maxAbsDiff);
        map.put("max-rel-diff", maxRelDiff);
        return map;
    }

    public static ShadowAgreement fromMap(Map<String, ?> map) {
        return new ShadowAgreement(longValue(map, "comparisons"), longValue(map, "rows"),
                longValue(map, "agreeing-rows"), ((Number) map.get("max-abs-diff")).doubleValue(),
                ((Number) map.get("max-rel-diff")).doubleValue());
    }

    private static long longValue(Map<String, ?> map, String key) {
        return ((Number) map.get(key)).longValue();
    }
}
