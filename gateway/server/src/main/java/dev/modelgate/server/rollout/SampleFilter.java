package dev.modelgate.server.rollout;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.server.service.ErrorStatus;
import dev.modelgate.server.service.InferenceFilter;
import dev.modelgate.server.service.InferenceService;
import dev.modelgate.server.service.ModelRef;
import dev.modelgate.server.service.RequestContext;
import dev.modelgate.server.shadow.ShadowComparison;
import dev.modelgate.server.shadow.ShadowMirror;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Records every answered request of a service under rollout into {@link RolloutSamples}: its
 * latency (from the transport's start, as clients see it) and whether it was a server error
 * (5xx class: the judge's error checks); and every shadow answer, as the candidate's latency plus
 * how it agreed with the primary. It sits after the metrics filter, and a request of a service
 * without a rollout costs one map read.
 *
 * <p>Client errors (4xx) are neither counted as errors nor as requests: a candidate must not be
 * judged on what clients send.
 */
final class SampleFilter implements InferenceFilter, ShadowMirror.Observer {
    private static final double NANOS_PER_MS = 1e6;

    private final RolloutSamples samples;
    private final LongSupplier nanoClock;

    SampleFilter(RolloutSamples samples, LongSupplier nanoClock) {
        this.samples = samples;
        this.nanoClock = nanoClock;
    }

    @Override
    public CompletableFuture<InferenceResponse> infer(InferenceService delegate, ModelRef model,
            InferenceRequest request, RequestContext context) {
        return delegate.infer(model, request, context).whenComplete((response, failure) -> record(context, failure));
    }

    private void record(RequestContext context, Throwable failure) {
        String service = context.record().service();
        String revision = context.record().revision();
        if (service == null || revision == null) {
            return;
        }
        RolloutSamples.Recorder recorder = samples.recorder(service, revision);
        if (recorder == null) {
            return;
        }
        int status = failure == null ? 200 : ErrorStatus.of(failure, context.requestId()).httpStatus();
        if (status >= 400 && status < 500) {
            return;
        }
        recorder.answered((nanoClock.getAsLong() - context.startNanos()) / NANOS_PER_MS, status >= 500);
    }

    @Override
    public void observed(String service, String shadowRevision, long nanos, ShadowComparison comparison) {
        RolloutSamples.Recorder recorder = samples.shadowRecorder(service, shadowRevision);
        if (recorder == null) {
            return;
        }
        recorder.answered(nanos / NANOS_PER_MS, comparison == null);
        if (comparison == null || comparison.mismatch() != null) {
            recorder.compared(1, 0, Double.NaN, Double.NaN);
        } else {
            recorder.compared(comparison.rows(), comparison.agreeingRows(), comparison.maxAbsDiff(),
                    comparison.maxRelDiff());
        }
    }
}
