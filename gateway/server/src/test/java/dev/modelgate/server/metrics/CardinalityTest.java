package dev.modelgate.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.ServerMetadata;
import dev.modelgate.server.service.InferenceService;
import dev.modelgate.server.service.ModelRef;
import dev.modelgate.server.service.RequestContext;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Clients choose model names; the number of series must not grow with them. */
class CardinalityTest {
    private final AtomicLong clock = new AtomicLong();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RequestMetrics metrics = new RequestMetrics(registry, clock::get);

    @Test
    void aThousandRandomModelNamesAddNoSeries() {
        InferenceService service = metrics.decorate(new OneModel());
        call(service, "iris", "req-0");
        long before = series();
        Random random = new Random(42);
        for (int i = 0; i < 1000; i++) {
            String name = "m" + Long.toHexString(random.nextLong());
            assertThat(service.infer(ModelRef.of(name, null), null, context("req-" + i)))
                    .isCompletedExceptionally();
            call(service, "iris", "req-x" + i);
        }
        long after = series();
        // The first unknown adds the "unknown" rows once (requests and rejected by outcome), no more.
        assertThat(after - before).isLessThanOrEqualTo(4);
        assertThat(registry.scrape()).doesNotContain("req-").contains("service=\"unknown\"")
                .contains("service=\"iris\"");
    }

    @Test
    void labelsComeFromTheRouterRecordAndTimingsFromTheHost() {
        InferenceService service = metrics.decorate(new OneModel());
        RequestContext context = context("req-1");
        context.record().routed("clf", "canary");
        context.record().ran(2_000_000, 3_000_000, 4);
        service.infer(ModelRef.of("iris", null), null, context).join();
        String scrape = registry.scrape();
        assertThat(scrape).contains("modelgate_requests_total{outcome=\"ok\",protocol=\"rest\","
                + "revision=\"canary\",service=\"clf\",status_class=\"2xx\"} 1.0");
        assertThat(scrape).contains("modelgate_request_queue_duration_seconds_bucket{revision=\"canary\","
                + "service=\"clf\",le=\"0.0025\"} 1");
        assertThat(scrape).contains("modelgate_request_batch_size_bucket{revision=\"canary\","
                + "service=\"clf\",le=\"4.0\"} 1");
    }

    private long series() {
        return registry.scrape().lines().filter(l -> l.startsWith("modelgate_")).count();
    }

    private void call(InferenceService service, String model, String id) {
        service.infer(ModelRef.of(model, null), null, context(id)).join();
    }

    private RequestContext context(String id) {
        return new RequestContext(id, Map.of(), clock.get(), clock.get() + 1_000_000_000L);
    }

    /** Knows one model, "iris"; anything else is NOT_FOUND, as the router answers. */
    private static final class OneModel implements InferenceService {
        @Override
        public CompletableFuture<InferenceResponse> infer(ModelRef model, InferenceRequest request,
                RequestContext context) {
            if (!model.name().equals("iris")) {
                return CompletableFuture.failedFuture(InferenceException.notFound("model: " + model.name()));
            }
            return CompletableFuture.completedFuture(new InferenceResponse("iris", "1", null, Map.of(), List.of()));
        }

        @Override
        public ServerMetadata serverMetadata() {
            return null;
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
            return null;
        }

        @Override
        public boolean modelReady(ModelRef model) {
            return true;
        }
    }
}
