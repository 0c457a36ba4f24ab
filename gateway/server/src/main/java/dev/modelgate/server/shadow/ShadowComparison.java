package dev.modelgate.server.shadow;

/**
 * How a shadow revision's answer compared with the primary's on one request.
 *
 * @param rows the rows compared (a row is one item of a batch: all dimensions but the last)
 * @param agreeingRows rows whose top-1 class (floating outputs) or whose values (other outputs)
 *     agree
 * @param maxAbsDiff the largest absolute difference over numeric elements
 * @param maxRelDiff the largest relative difference, {@code |a - b| / max(|a|, |b|)}
 * @param mismatch why the answers could not be compared element by element, or {@code null}
 */
public record ShadowComparison(int rows, int agreeingRows, double maxAbsDiff, double maxRelDiff,
        String mismatch) {
    public boolean agrees() {
        return mismatch == null && rows == agreeingRows;
    }
}
