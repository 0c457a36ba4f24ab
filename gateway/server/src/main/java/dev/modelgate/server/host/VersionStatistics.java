package dev.modelgate.server.host;

import dev.modelgate.server.service.ModelStatistics;
import dev.modelgate.server.service.ModelStatistics.Duration;
import dev.modelgate.server.service.RequestRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One version's cumulative statistics for Triton's statistics extension, fed by what the request
 * path already measured: the instance (or batcher) writes each request's queue and compute time and
 * its batch size into the request's {@link RequestRecord}, and the host adds the record here when
 * the request completes. There is no second stopwatch.
 *
 * <p>Every request of a batch of {@code k} reports the same compute time, so one engine call is
 * {@code k} reports: executions and batch compute time per size are the sums divided by {@code k}.
 * compute_input is the time spent turning the request into tensors outside the engine (the
 * transport's decode and the host's validation, carried in the record); compute_output is the time
 * the transport spends encoding the answer, told after the host finished ({@link #output}), so
 * its count is the answers encoded. Conversions inside the runtime's engine call count with
 * compute_infer. One lock: the reads are rare and the critical section
 * is a handful of additions, small beside an inference.
 */
final class VersionStatistics {
    private final String name;
    private final String version;
    private long lastMillis;
    private long inferences;
    private long successCount;
    private long successNanos;
    private long failCount;
    private long failNanos;
    private long queueCount;
    private long queueNanos;
    private long computeCount;
    private long computeNanos;
    private long inputNanos;
    private long outputCount;
    private long outputNanos;
    /** Batch size to {requests that ran in a batch of that size, their summed compute nanos}. */
    private final Map<Integer, long[]> bySize = new TreeMap<>();

    VersionStatistics(String name, String version) {
        this.name = name;
        this.version = version;
    }

    /**
     * Adds one finished request.
     *
     * @param record what the path measured (queue and compute are -1 when it never ran)
     * @param tookNanos from receipt to completion
     * @param rows the inferences it held (its batch dimension, or 1)
     * @param nowMillis the wall clock at completion
     */
    synchronized void add(RequestRecord record, boolean succeeded, long tookNanos, long rows,
            long nowMillis) {
        lastMillis = nowMillis;
        long took = Math.max(0, tookNanos);
        if (record.batchSize() > 0 && record.computeNanos() >= 0) {
            long[] size = bySize.computeIfAbsent(record.batchSize(), k -> new long[2]);
            size[0]++;
            size[1] += record.computeNanos();
        }
        if (!succeeded) {
            failCount++;
            failNanos += took;
            return;
        }
        successCount++;
        successNanos += took;
        inferences += rows;
        if (record.queueNanos() >= 0) {
            queueCount++;
            queueNanos += record.queueNanos();
        }
        if (record.computeNanos() >= 0) {
            computeCount++;
            computeNanos += record.computeNanos();
            inputNanos += record.inputNanos();
        }
    }

    /** One successful answer was encoded in {@code nanos}. */
    synchronized void output(long nanos) {
        outputCount++;
        outputNanos += nanos;
    }

    synchronized ModelStatistics snapshot() {
        List<ModelStatistics.Batch> batches = new ArrayList<>();
        long executions = 0;
        for (Map.Entry<Integer, long[]> size : bySize.entrySet()) {
            int k = size.getKey();
            long calls = size.getValue()[0] / k;
            executions += calls;
            batches.add(new ModelStatistics.Batch(k, new Duration(calls, 0),
                    new Duration(calls, size.getValue()[1] / k), new Duration(calls, 0)));
        }
        return new ModelStatistics(name, version, lastMillis, inferences, executions,
                new Duration(successCount, successNanos), new Duration(failCount, failNanos),
                new Duration(queueCount, queueNanos), new Duration(computeCount, inputNanos),
                new Duration(computeCount, computeNanos), new Duration(outputCount, outputNanos),
                batches);
    }
}
