package dev.modelgate.server.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.ext.web.Router;

/**
 * {@code GET /metrics} on the admin port: the Prometheus text exposition of one registry, with the
 * JVM, GC, process and Netty allocator binders bound, and the service gauges refreshed first.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private final PrometheusMeterRegistry registry;
    private final ServiceGauges gauges;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public MetricsEndpoint(PrometheusMeterRegistry registry, ServiceGauges gauges) {
        this.registry = registry;
        this.gauges = gauges;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new NettyAllocatorMetrics(PooledByteBufAllocator.DEFAULT).bindTo(registry);
    }

    /** The exposition, gauges current. */
    public String scrape() {
        gauges.refresh();
        return registry.scrape();
    }

    public void mount(Router router) {
        router.get("/metrics").handler(ctx -> ctx.vertx().<String>executeBlocking(this::scrape)
                .onSuccess(body -> ctx.response()
                        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(body))
                .onFailure(ctx::fail));
    }

    @Override
    public void close() {
        gc.close();
    }
}
