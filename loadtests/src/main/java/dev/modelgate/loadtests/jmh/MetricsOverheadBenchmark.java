package dev.modelgate.loadtests.jmh;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.ServerMetadata;
import dev.modelgate.api.Tensor;
import dev.modelgate.server.metrics.RequestMetrics;
import dev.modelgate.server.service.InferenceService;
import dev.modelgate.server.service.ModelRef;
import dev.modelgate.server.service.RequestContext;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What recording one request's metrics costs on the hot path: the same completed inference call
 * through the metrics decorator (in-flight gauge, request counter, latency, queue and compute
 * timers, batch size, all with the catalog's histogram buckets on the Prometheus registry) and
 * without it. The service is a stub that routes and "runs" the request at once, so the difference
 * between the two is the decorator's cost. Run with {@code loadtests/bench/jmh.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MetricsOverheadBenchmark {
    private static final ModelRef MODEL = ModelRef.of("iris");

    private PrometheusMeterRegistry registry;
    private InferenceService bare;
    private InferenceService metered;
    private InferenceRequest request;

    @Setup
    public void setUp() {
        request = InferenceRequest.of("b", List.of(Tensor.ofFloats("x", new long[] {1, 4},
                5.1f, 3.5f, 1.4f, 0.2f)));
        bare = new RoutedStub(CompletableFuture.completedFuture(new InferenceResponse("iris", "1",
                "b", Map.of(), List.of(Tensor.ofFloats("y", new long[] {1, 3}, 0.9f, 0.05f, 0.05f)))));
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metered = new RequestMetrics(registry, System::nanoTime).decorate(bare);
    }

    @TearDown
    public void tearDown() {
        registry.close();
    }

    private static RequestContext context() {
        long now = System.nanoTime();
        return new RequestContext("r", Map.of(), now, now + 1_000_000_000L);
    }

    /** The call without metrics: the no-op baseline. */
    @Benchmark
    public CompletableFuture<InferenceResponse> withoutMetrics() {
        return bare.infer(MODEL, request, context());
    }

    /** The same call through the metrics decorator. */
    @Benchmark
    public CompletableFuture<InferenceResponse> withMetrics() {
        return metered.infer(MODEL, request, context());
    }

    /** Routes to (iris, stable), runs in a batch of 4, and answers at once. */
    private static final class RoutedStub implements InferenceService {
        private final CompletableFuture<InferenceResponse> answer;

        RoutedStub(CompletableFuture<InferenceResponse> answer) {
            this.answer = answer;
        }

        @Override
        public CompletableFuture<InferenceResponse> infer(ModelRef model, InferenceRequest request,
                RequestContext context) {
            context.record().routed("iris", "stable");
            context.record().ran(120_000, 480_000, 4);
            return answer;
        }

        @Override
        public ServerMetadata serverMetadata() {
            return new ServerMetadata("stub", "0", List.of());
        }

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public List<String> modelNames() {
            return List.of("iris");
        }

        @Override
        public ModelMetadata metadata(ModelRef model) {
            throw new UnsupportedOperationException("metadata");
        }

        @Override
        public boolean modelReady(ModelRef model) {
            return true;
        }
    }
}
