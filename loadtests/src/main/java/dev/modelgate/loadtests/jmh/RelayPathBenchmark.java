package dev.modelgate.loadtests.jmh;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.ServerMetadata;
import dev.modelgate.server.backend.RevisionBackend;
import dev.modelgate.server.drain.DrainFilter;
import dev.modelgate.server.json.OipJson;
import dev.modelgate.server.metrics.RequestMetrics;
import dev.modelgate.server.routing.TrafficPolicy;
import dev.modelgate.server.service.InferenceFilter;
import dev.modelgate.server.service.InferenceService;
import dev.modelgate.server.service.ModelRef;
import dev.modelgate.server.service.RawBody;
import dev.modelgate.server.service.RequestContext;
import dev.modelgate.server.service.SharedBytes;
import dev.modelgate.server.traffic.RevisionSpec;
import dev.modelgate.server.traffic.ServiceRegistry;
import dev.modelgate.server.traffic.ServiceRouter;
import dev.modelgate.server.traffic.ServiceSpec;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
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
 * The gateway's in-process share of relaying one small OIP request to a remote revision, without
 * sockets: the filters (drain, metrics), the router's snapshot lookup and split, and a backend
 * that answers at once with bytes. {@code decodeThenRelay} is the path every request took before
 * the undecoded relay (decode the JSON, then route); {@code relayUndecoded} is the path now. Run
 * with {@code loadtests/bench/jmh.sh RelayPathBenchmark -prof gc} for allocation per request.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RelayPathBenchmark {
    private static final ModelRef SERVICE = ModelRef.of("svc");
    private static final byte[] BODY = ("{\"id\":\"b\",\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],"
            + "\"datatype\":\"FP32\",\"data\":[5.1,3.5,1.4,0.2]}]}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] ANSWER = ("{\"model_name\":\"svc\",\"model_version\":\"v1\",\"outputs\":"
            + "[{\"name\":\"y\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[0.9,0.05,0.05]}]}")
            .getBytes(StandardCharsets.UTF_8);
    /** The replica's answer as a transport hands it over (made once: its buffer is not measured). */
    private static final SharedBytes ANSWERED = SharedBytes.of(ANSWER);

    private PrometheusMeterRegistry registry;
    private InferenceService path;

    @Setup
    public void setUp() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ServiceRegistry services = new ServiceRegistry((service, revision) -> new Relaying(), 10);
        services.replaceAll(List.of(new ServiceSpec("svc", List.of(new RevisionSpec("v1", "iris",
                "1")), "v1", TrafficPolicy.weights(Map.of("v1", 100)))));
        InferenceService router = new ServiceRouter(services, new NoModels(), null);
        path = InferenceFilter.decorate(router, List.of(new DrainFilter(),
                new RequestMetrics(registry, System::nanoTime).filter()));
    }

    @TearDown
    public void tearDown() {
        registry.close();
    }

    private static RequestContext context() {
        long now = System.nanoTime();
        return new RequestContext("r", Map.of(), now, now + 1_000_000_000L)
                .withRawBody(new RawBody(BODY, "application/json", -1));
    }

    /** Before: decode the body to route it, then relay its bytes. */
    @Benchmark
    public CompletableFuture<InferenceResponse> decodeThenRelay() {
        InferenceRequest decoded = OipJson.readInferenceRequest(BODY);
        return path.infer(SERVICE, decoded, context());
    }

    /** Now: route from the headers and URL and relay the bytes undecoded. */
    @Benchmark
    public CompletableFuture<InferenceResponse> relayUndecoded() {
        RequestContext context = context();
        if (!path.relaysUndecoded(SERVICE, context)) {
            throw new IllegalStateException("not relayable");
        }
        return path.infer(SERVICE, null, context);
    }

    /** A remote revision whose replica answers at once: the answer's bytes go into the body. */
    private static final class Relaying implements RevisionBackend {
        private final CompletableFuture<InferenceResponse> named = CompletableFuture.completedFuture(
                new InferenceResponse("svc", "v1", null, Map.of(), List.of()));

        @Override
        public CompletableFuture<InferenceResponse> infer(InferenceRequest request,
                RequestContext context) {
            context.rawBody().answered(ANSWERED, -1);
            return named;
        }

        @Override
        public ModelMetadata metadata() {
            throw new UnsupportedOperationException("metadata");
        }

        @Override
        public boolean exists() {
            return true;
        }

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public boolean relaysBytes() {
            return true;
        }
    }

    /** No hosted models: every name here is a service. */
    private static final class NoModels implements InferenceService {
        @Override
        public ServerMetadata serverMetadata() {
            return new ServerMetadata("bench", "0", List.of());
        }

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public List<String> modelNames() {
            return List.of();
        }

        @Override
        public ModelMetadata metadata(ModelRef model) {
            throw new UnsupportedOperationException("metadata");
        }

        @Override
        public boolean modelReady(ModelRef model) {
            return false;
        }

        @Override
        public CompletableFuture<InferenceResponse> infer(ModelRef model, InferenceRequest request,
                RequestContext context) {
            throw new UnsupportedOperationException("infer");
        }
    }
}
