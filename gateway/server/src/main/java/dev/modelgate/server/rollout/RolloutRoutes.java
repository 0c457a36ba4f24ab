package dev.modelgate.server.rollout;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.api.InferenceException;
import dev.modelgate.rollout.RolloutEvent;
import dev.modelgate.rollout.config.RolloutConfig;
import dev.modelgate.rollout.config.RolloutConfigException;
import dev.modelgate.server.json.JsonLimits;
import dev.modelgate.server.service.ErrorStatus;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollout part of the admin API (mounted on the admin server's router, behind its token):
 *
 * <pre>
 * POST /admin/services/{s}/rollout                  start (JSON body: the rollout's config keys)
 * GET  /admin/services/{s}/rollout                  config, state and decision log
 * POST /admin/services/{s}/rollout/resume|abort|promote
 * GET  /admin/services/{s}/rollout/samples[?window=]  a window's per-revision samples
 * </pre>
 *
 * Errors are {@code {"error": ...}} with 400 (bad config or body), 404 (no such service or
 * rollout) or 409 (the command does not fit the rollout's state). Commands run on the rollout
 * thread; the event loop only waits for their future.
 */
public final class RolloutRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutRoutes.class);
    private static final ObjectMapper JSON = JsonLimits.jsonMapper();
    private static final String BASE = "/admin/services/:service/rollout";

    private final Rollouts rollouts;

    public RolloutRoutes(Rollouts rollouts) {
        this.rollouts = rollouts;
    }

    public void mount(Router router) {
        router.post(BASE).handler(call(ctx -> {
            String service = ctx.pathParam("service");
            RolloutConfig config = config(body(ctx));
            return CompletableFuture.completedFuture(
                    Rollouts.view(service, config, rollouts.start(service, config)));
        }));
        router.get(BASE).handler(call(ctx -> CompletableFuture.completedFuture(
                rollouts.view(ctx.pathParam("service")).orElseThrow(() ->
                        InferenceException.notFound("rollout of service " + ctx.pathParam("service"))))));
        router.get(BASE + "/samples").handler(call(ctx -> {
            String service = ctx.pathParam("service");
            String window = ctx.queryParams().get("window");
            return CompletableFuture.completedFuture(rollouts.samples(service, window)
                    .orElseThrow(() -> InferenceException.notFound("samples of service " + service
                            + (window == null ? "" : " in window " + window))).toMap());
        }));
        router.post(BASE + "/resume").handler(call(ctx -> rollouts.command(ctx.pathParam("service"),
                new RolloutEvent.Resume(by(ctx)))));
        router.post(BASE + "/abort").handler(call(ctx -> rollouts.command(ctx.pathParam("service"),
                new RolloutEvent.Abort(by(ctx), String.valueOf(body(ctx).getOrDefault("reason",
                        "aborted from the admin API"))))));
        router.post(BASE + "/promote").handler(call(ctx -> rollouts.command(ctx.pathParam("service"),
                new RolloutEvent.ForcePromote(by(ctx)))));
    }

    private static RolloutConfig config(Map<String, Object> body) {
        try {
            return RolloutConfig.fromMap(body);
        } catch (RolloutConfigException e) {
            throw InferenceException.invalid(String.join("; ", e.problems()));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw InferenceException.invalid("rollout: " + e.getMessage());
        }
    }

    private static String by(RoutingContext ctx) {
        Object by = body(ctx).get("by");
        return by == null ? "admin API" : by.toString();
    }

    /** The JSON object body, empty for no body. */
    private static Map<String, Object> body(RoutingContext ctx) {
        String text = ctx.body() == null ? null : ctx.body().asString();
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, Object> body = JSON.readValue(text, new TypeReference<>() { });
            return body == null ? Map.of() : body;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            InferenceException refused = JsonLimits.refusal(e, "body");
            throw refused != null ? refused : InferenceException.invalid("body: malformed JSON object ("
                    + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        }
    }

    private static Handler<RoutingContext> call(
            Function<RoutingContext, CompletableFuture<Map<String, Object>>> action) {
        return ctx -> {
            CompletableFuture<Map<String, Object>> answer;
            try {
                answer = action.apply(ctx);
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            answer.whenComplete((body, failure) -> {
                if (failure == null) {
                    write(ctx, 200, body);
                } else {
                    fail(ctx, failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure);
                }
            });
        };
    }

    private static void fail(RoutingContext ctx, Throwable failure) {
        if (failure instanceof RolloutConflictException) {
            write(ctx, 409, Map.of("error", failure.getMessage()));
        } else if (failure instanceof InferenceException e) {
            write(ctx, ErrorStatus.of(e, null).httpStatus(), Map.of("error", e.getMessage()));
        } else {
            LOG.error("admin call {} {} failed", ctx.request().method(), ctx.normalizedPath(), failure);
            write(ctx, 500, Map.of("error", "internal error"));
        }
    }

    private static void write(RoutingContext ctx, int status, Map<String, Object> body) {
        String text;
        try {
            text = JSON.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            status = 500;
            text = "{\"error\":\"internal error\"}";
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(text);
    }
}
