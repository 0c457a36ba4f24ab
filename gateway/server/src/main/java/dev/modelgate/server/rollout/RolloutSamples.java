package dev.modelgate.server.rollout;

import dev.modelgate.rollout.judge.LatencyHistogram;
import dev.modelgate.rollout.judge.ShadowAgreement;
import dev.modelgate.rollout.judge.StepSamples;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's per-service "current step window": what each revision of a service under rollout
 * answered since the window opened, in the library's mergeable form (a latency histogram, request
 * and 5xx counts, shadow agreement). The driver opens a window when the machine starts one (a new
 * step, a resume) and judges it from here; the admin API hands it out so that the Kubernetes
 * controller can merge every replica's samples of the same window.
 *
 * <p>Why a window store and not a time series: the machine judges {@code [step start, now)} and an
 * extension keeps the start, so one accumulating window per service is all a judgement needs.
 * The previous window is kept too, for a controller that asks late. Everything is bounded: two
 * windows per service under rollout, one fixed-size histogram per revision of the rollout, and
 * revisions are resolved when the window opens, so recording is two map reads and a short lock.
 */
public final class RolloutSamples {
    private final Map<String, Windows> services = new ConcurrentHashMap<>();

    /**
     * Starts a fresh window {@code id} for the service's {@code revisions}; the old one becomes
     * previous. Only a {@code mirroring} window takes shadow answers: a copy still in flight when
     * the shadow phase ended must not bring a shadow check into a weighted step.
     */
    public void open(String service, String id, List<String> revisions, boolean mirroring) {
        Window window = new Window(id, revisions, mirroring);
        services.compute(service, (name, old) -> new Windows(window, old == null ? null : old.current));
    }

    /** Stops recording for the service (its rollout ended or was removed). */
    public void close(String service) {
        services.remove(service);
    }

    /**
     * The recorder of one revision in the service's current window, or {@code null} when the
     * service has no rollout or the revision is not part of it.
     */
    Recorder recorder(String service, String revision) {
        Windows windows = services.get(service);
        return windows == null ? null : windows.current.recorders.get(revision);
    }

    /** As {@link #recorder}, for shadow answers: {@code null} unless the window is mirroring. */
    Recorder shadowRecorder(String service, String revision) {
        Windows windows = services.get(service);
        return windows == null || !windows.current.mirroring ? null : windows.current.recorders.get(revision);
    }

    /** The current window's id, if the service has one. */
    public Optional<String> currentWindow(String service) {
        Windows windows = services.get(service);
        return windows == null ? Optional.empty() : Optional.of(windows.current.id);
    }

    /**
     * The samples per revision of the service's window {@code id} (the current one when {@code
     * null}); empty when no such window is kept.
     */
    public Optional<Snapshot> snapshot(String service, String id) {
        Windows windows = services.get(service);
        if (windows == null) {
            return Optional.empty();
        }
        for (Window window : new Window[] {windows.current, windows.previous}) {
            if (window != null && (id == null || window.id.equals(id))) {
                Map<String, StepSamples> samples = new LinkedHashMap<>();
                window.recorders.forEach((revision, recorder) -> samples.put(revision, recorder.samples()));
                return Optional.of(new Snapshot(window.id, samples));
            }
        }
        return Optional.empty();
    }

    /** One window's samples by revision. */
    public record Snapshot(String window, Map<String, StepSamples> revisions) {
        public Snapshot {
            Objects.requireNonNull(window, "window");
            revisions = Map.copyOf(revisions);
        }

        /** The revision's samples, empty ones when it answered nothing. */
        public StepSamples of(String revision) {
            return revisions.getOrDefault(revision, StepSamples.empty());
        }

        /** Plain values for JSON: the window id and each revision's {@link StepSamples#toMap()}. */
        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("window", window);
            Map<String, Object> byRevision = new java.util.TreeMap<>();
            revisions.forEach((revision, samples) -> byRevision.put(revision, samples.toMap()));
            map.put("revisions", byRevision);
            return map;
        }
    }

    private record Windows(Window current, Window previous) {
    }

    private static final class Window {
        final String id;
        final Map<String, Recorder> recorders;
        final boolean mirroring;

        Window(String id, List<String> revisions, boolean mirroring) {
            this.id = Objects.requireNonNull(id, "id");
            this.mirroring = mirroring;
            Map<String, Recorder> map = new LinkedHashMap<>();
            revisions.forEach(revision -> map.put(revision, new Recorder()));
            this.recorders = Map.copyOf(map);
        }
    }

    /**
     * One revision's observations in one window. A short lock per request: the histogram recorder
     * is a plain array, and requests of one revision rarely contend at the rates a rollout sees.
     */
    static final class Recorder {
        private final LatencyHistogram.Recorder latencies = LatencyHistogram.recorder();
        private long requests;
        private long errors;
        private long comparisons;
        private long rows;
        private long agreeingRows;
        private double maxAbsDiff;
        private double maxRelDiff;

        synchronized void answered(double millis, boolean serverError) {
            latencies.record(millis);
            requests++;
            if (serverError) {
                errors++;
            }
        }

        synchronized void compared(long comparedRows, long agreeing, double absDiff, double relDiff) {
            comparisons++;
            rows += comparedRows;
            agreeingRows += agreeing;
            if (!Double.isNaN(absDiff)) {
                maxAbsDiff = Math.max(maxAbsDiff, absDiff);
            }
            if (!Double.isNaN(relDiff)) {
                maxRelDiff = Math.max(maxRelDiff, relDiff);
            }
        }

        synchronized StepSamples samples() {
            StepSamples samples = StepSamples.of(latencies.snapshot(), requests, errors);
            return comparisons == 0 ? samples : samples.withShadow(
                    new ShadowAgreement(comparisons, rows, agreeingRows, maxAbsDiff, maxRelDiff));
        }
    }
}
