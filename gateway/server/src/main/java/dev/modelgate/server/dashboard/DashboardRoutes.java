package dev.modelgate.server.dashboard;

import dev.modelgate.server.metrics.ServerMetrics;
import dev.modelgate.server.traffic.ServiceControl;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in dashboard on the admin port: {@code /dashboard} serves the page and its assets from
 * the class path (no CDN; the page works offline), {@code /dashboard/events} streams one frame per
 * second as server-sent events, and {@code /dashboard/snapshot} answers the latest frame as JSON.
 * One timer samples once a second for every viewer; it starts with the first request to the
 * dashboard and then keeps sampling (a few map reads), so a returning viewer's first frame already
 * has rates and quantiles.
 */
public final class DashboardRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardRoutes.class);
    private static final long PERIOD_MS = 1000;

    private final DashboardFeed feed;
    private final Set<HttpServerResponse> viewers = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicBoolean started =
            new java.util.concurrent.atomic.AtomicBoolean();
    private volatile String latest = "{\"services\":[]}";

    public DashboardRoutes(ServiceControl services, ServerMetrics metrics, Clock clock) {
        this.feed = new DashboardFeed(services, metrics, clock);
    }

    public void mount(Router router) {
        router.get("/dashboard").handler(ctx -> {
            startTimer(ctx.vertx());
            ctx.reroute("/dashboard/index.html");
        });
        router.get("/dashboard/").handler(ctx -> ctx.reroute("/dashboard/index.html"));
        router.get("/dashboard/snapshot").handler(ctx -> {
            startTimer(ctx.vertx());
            ctx.response().putHeader("Content-Type", "application/json").end(latest);
        });
        router.get("/dashboard/events").handler(ctx -> {
            HttpServerResponse response = ctx.response().setChunked(true)
                    .putHeader("Content-Type", "text/event-stream")
                    .putHeader("Cache-Control", "no-cache");
            response.write("retry: 2000\n\n");
            viewers.add(response);
            response.closeHandler(v -> viewers.remove(response));
            response.exceptionHandler(e -> viewers.remove(response));
            startTimer(ctx.vertx());
            push(response, latest);
        });
        router.get("/dashboard/*").handler(StaticHandler.create("dashboard")
                .setCachingEnabled(false).setDirectoryListing(false));
    }

    private void startTimer(Vertx vertx) {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        vertx.setPeriodic(PERIOD_MS, id -> {
            try {
                latest = feed.tick().toString();
            } catch (RuntimeException e) {
                LOG.warn("dashboard sample failed", e);
                return;
            }
            viewers.forEach(viewer -> push(viewer, latest));
        });
    }

    private void push(HttpServerResponse viewer, String frame) {
        if (viewer.closed() || viewer.ended()) {
            viewers.remove(viewer);
            return;
        }
        viewer.write("event: frame\ndata: " + frame + "\n\n");
    }
}
