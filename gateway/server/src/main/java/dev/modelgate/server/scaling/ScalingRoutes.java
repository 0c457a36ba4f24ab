package dev.modelgate.server.scaling;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.autoscaler.ScaleDecision;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/**
 * The autoscaler on the admin port:
 *
 * <pre>
 * GET /admin/autoscaler/stats                             last second per revision, for scrapers
 * GET /admin/services/{s}/revisions/{r}/scale             state, counts and the last decisions
 * </pre>
 *
 * The stats answer is compact on purpose (one array per revision: service, revision, mean
 * concurrency, rps, requests in flight now): an external autoscaler scrapes it from every gateway
 * replica each second and sums, as Knative's autoscaler scrapes queue-proxies. Its rows are the
 * revisions this gateway scales and every remote revision it does not (measured at the router, so
 * the Kubernetes controller can scale the Deployments behind them).
 */
final class ScalingRoutes {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Autoscaling scaling;
    private final Clock clock;

    ScalingRoutes(Autoscaling scaling, Clock clock) {
        this.scaling = scaling;
        this.clock = clock;
    }

    void mount(Router router) {
        router.get("/admin/autoscaler/stats").handler(this::stats);
        router.get("/admin/services/:service/revisions/:revision/scale").handler(this::scale);
    }

    private void stats(RoutingContext ctx) {
        ObjectNode body = JSON.objectNode().put("at", clock.millis());
        ArrayNode rows = body.putArray("revisions");
        for (ScaledRevision revision : scaling.all()) {
            RevisionStats.Sample last = revision.stats.last();
            rows.addArray().add(revision.service).add(revision.spec.name()).add(round(last.concurrency()))
                    .add(round(last.rps())).add(revision.stats.inFlight());
        }
        scaling.measured().forEach((key, stats) -> {
            RevisionStats.Sample last = stats.last();
            int slash = key.indexOf('/');
            rows.addArray().add(key.substring(0, slash)).add(key.substring(slash + 1))
                    .add(round(last.concurrency())).add(round(last.rps())).add(stats.inFlight());
        });
        write(ctx, 200, body);
    }

    private void scale(RoutingContext ctx) {
        String service = ctx.pathParam("service");
        String name = ctx.pathParam("revision");
        ScaledRevision revision = scaling.revision(service, name);
        if (revision == null) {
            write(ctx, 404, JSON.objectNode().put("error", "revision: " + service + "/" + name
                    + " (expected: an autoscaled revision: one with instances or replicas)"));
            return;
        }
        ObjectNode body = JSON.objectNode().put("service", service).put("revision", name)
                .put("kind", revision.spec.scale().kind().key()).put("state", revision.state())
                .put("ready", revision.target.ready()).put("pending", revision.target.pending())
                .put("held", revision.held()).put("activations", revision.activations())
                .put("buffer-rejections", revision.bufferRejections());
        revision.target.measuredStartup().ifPresent(d -> body.put("time-to-ready-ms", d.toMillis()));
        if (revision.replicas() != null) {
            body.put("restarts", revision.replicas().restarts());
        }
        RevisionStats.Sample last = revision.stats.last();
        body.putObject("observed").put("concurrency", round(last.concurrency())).put("rps", round(last.rps()));
        ArrayNode decisions = body.putArray("decisions");
        for (ScaledRevision.Logged logged : revision.decisions()) {
            ScaleDecision d = logged.decision();
            decisions.addObject().put("at", logged.at().toString()).put("desired", d.desired())
                    .put("mode", d.mode().name().toLowerCase(java.util.Locale.ROOT))
                    .put("reason", d.reason().name().toLowerCase(java.util.Locale.ROOT))
                    .put("detail", d.detail()).put("excess-burst-capacity", d.excessBurstCapacity())
                    .put("activation", d.activation()).put("scale-to-zero", d.scaleToZero());
        }
        write(ctx, 200, body);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static void write(RoutingContext ctx, int status, ObjectNode body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toString());
    }
}
