package dev.modelgate.server.admin;

import dev.modelgate.server.config.TlsConfig;
import dev.modelgate.server.tls.ServerTls;
import io.vertx.core.http.HttpServerOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.api.InferenceException;
import dev.modelgate.server.config.ConfigException;
import dev.modelgate.server.json.JsonLimits;
import dev.modelgate.server.routing.TrafficPolicy;
import dev.modelgate.server.service.ErrorStatus;
import dev.modelgate.server.traffic.ServiceControl;
import dev.modelgate.server.traffic.ServiceStatus;
import dev.modelgate.server.traffic.TrafficPolicyJson;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin plane on its own port (Vert.x Web): services, revisions and traffic, promote and
 * rollback, shadow disagreements; other admin-port pages ({@code /metrics}, the dashboard) are
 * mounted through {@code extraRoutes}. The data plane never exposes any of it.
 *
 * <p>When a token is configured every {@code /admin} call and the dashboard need it
 * ({@link AdminAuth}: a bearer header, or a cookie for the browser); {@code /metrics} stays open
 * for Prometheus unless {@code metrics-need-token} is set.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final ObjectMapper MAPPER = JsonLimits.jsonMapper();
    private static final long MAX_BODY = 1 << 20;

    private final Vertx vertx;
    private final HttpServer server;
    private final ServerTls tls;

    private AdminServer(Vertx vertx, HttpServer server, ServerTls tls) {
        this.tls = tls;
        this.vertx = vertx;
        this.server = server;
    }

    /**
     * Starts the admin server and waits until it listens.
     *
     * @param token the bearer token admin calls need, or {@code null} for none
     */
    public static AdminServer start(String host, int port, String token, ServiceControl control,
            Consumer<Router> extraRoutes) {
        return start(host, port, token, false, control, extraRoutes);
    }

    /**
     * As {@link #start(String, int, String, ServiceControl, Consumer)}.
     *
     * @param metricsNeedToken whether {@code /metrics} needs the token too (with a token only)
     */
    public static AdminServer start(String host, int port, String token, boolean metricsNeedToken,
            ServiceControl control, Consumer<Router> extraRoutes) {
        return start(host, port, token, metricsNeedToken, control, extraRoutes, TlsConfig.off());
    }

    /** As above, speaking TLS when {@code tls} covers the admin port. */
    public static AdminServer start(String host, int port, String token, boolean metricsNeedToken,
            ServiceControl control, Consumer<Router> extraRoutes, TlsConfig tlsConfig) {
        ServerTls tls = ServerTls.open(tlsConfig, TlsConfig.Port.ADMIN);
        Vertx vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.route("/admin/*").handler(BodyHandler.create().setBodyLimit(MAX_BODY));
        if (token != null) {
            AdminAuth auth = new AdminAuth(token);
            router.route("/admin/*").handler(auth);
            router.route("/dashboard*").handler(auth);
            if (metricsNeedToken) {
                router.route("/metrics*").handler(auth);
            }
        }
        new AdminRoutes(control).mount(router);
        extraRoutes.accept(router);
        // Vert.x answers these itself (405 with Allow, 413 from the body limit) in plain text;
        // every admin answer is JSON, so each gets our body here.
        router.errorHandler(404, ctx -> error(ctx, 404, "path: " + ctx.normalizedPath()
                + " (expected: an admin API path)"));
        router.errorHandler(405, ctx -> {
            String allow = allowed(router, ctx.normalizedPath());
            ctx.response().putHeader("Allow", allow);
            error(ctx, 405, "method: " + ctx.request().method() + " (expected: " + allow + " on "
                    + ctx.normalizedPath() + ")");
        });
        router.errorHandler(413, ctx -> error(ctx, 413, "body: over " + MAX_BODY
                + " bytes (expected: at most " + MAX_BODY + " bytes, 1 MiB)"));
        try {
            HttpServerOptions options = tls == null ? new HttpServerOptions()
                    : tls.vertx(new HttpServerOptions());
            HttpServer server = vertx.createHttpServer(options).requestHandler(router)
                    .listen(port, host)
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            LOG.info("admin API listening on {}:{}", host, server.actualPort());
            return new AdminServer(vertx, server, tls);
        } catch (Exception e) {
            vertx.close();
            if (tls != null) {
                tls.close();
            }
            throw ConfigException.cannotListen("--admin-port", host, port, e);
        }
    }

    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("admin server did not close cleanly", e);
        }
        if (tls != null) {
            tls.close();
        }
    }

    /**
     * The methods the router has for {@code path}, for a 405's {@code Allow} (Vert.x only sets it
     * on its own plain-text answer, not when the 405 has a handler).
     */
    static String allowed(Router router, String path) {
        Set<String> methods = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            String template = route.getPath();
            if (template == null || route.methods() == null || template.endsWith("*")) {
                continue;
            }
            StringBuilder regex = new StringBuilder();
            for (String segment : template.split("/", -1)) {
                regex.append(regex.isEmpty() ? "" : "/").append(segment.startsWith(":") ? "[^/]+"
                        : Pattern.quote(segment));
            }
            if (Pattern.matches(regex.toString(), path)) {
                route.methods().forEach(method -> methods.add(method.name()));
            }
        }
        return String.join(", ", methods);
    }

    static void error(RoutingContext ctx, int status, String message) {
        json(ctx, status, JsonNodeFactory.instance.objectNode().put("error", message));
    }

    static void json(RoutingContext ctx, int status, JsonNode body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(body.toString());
    }

    /** The admin routes over a {@link ServiceControl}; one method per call. */
    static final class AdminRoutes {
        private final ServiceControl control;

        AdminRoutes(ServiceControl control) {
            this.control = control;
        }

        void mount(Router router) {
            router.get("/admin/services").handler(call(ctx -> ServiceJson.services(control.services())));
            router.get("/admin/services/:service").handler(call(ctx ->
                    ServiceJson.service(control.service(ctx.pathParam("service")))));
            router.get("/admin/services/:service/traffic").handler(call(ctx ->
                    TrafficPolicyJson.write(control.service(ctx.pathParam("service")).traffic())));
            router.put("/admin/services/:service/traffic").handler(call(this::setTraffic));
            router.put("/admin/services/:service/traffic/weights").handler(call(this::setWeights));
            router.post("/admin/services/:service/revisions").handler(call(ctx -> ServiceJson.service(
                    control.addRevision(ctx.pathParam("service"), ServiceJson.revision(body(ctx))))));
            router.delete("/admin/services/:service/revisions/:revision").handler(call(ctx ->
                    ServiceJson.service(control.removeRevision(ctx.pathParam("service"),
                            ctx.pathParam("revision")))));
            router.post("/admin/services/:service/promote").handler(call(this::promote));
            router.post("/admin/services/:service/rollback").handler(call(ctx ->
                    ServiceJson.service(control.rollback(ctx.pathParam("service")))));
            router.get("/admin/services/:service/disagreements").handler(call(ctx ->
                    ServiceJson.disagreements(control.disagreements(ctx.pathParam("service")))));
        }

        private JsonNode setTraffic(RoutingContext ctx) {
            String service = ctx.pathParam("service");
            ServiceStatus current = control.service(service);
            TrafficPolicy policy = TrafficPolicyJson.readValid(body(ctx), revisionNames(current));
            return ServiceJson.service(control.setTraffic(service, policy));
        }

        private JsonNode setWeights(RoutingContext ctx) {
            String service = ctx.pathParam("service");
            ServiceStatus current = control.service(service);
            ObjectNode traffic = TrafficPolicyJson.write(current.traffic());
            traffic.set("weights", body(ctx));
            TrafficPolicy policy = TrafficPolicyJson.readValid(traffic, revisionNames(current));
            return ServiceJson.service(control.setTraffic(service, policy));
        }

        private JsonNode promote(RoutingContext ctx) {
            String revision = null;
            if (ctx.body().length() > 0) {
                JsonNode body = body(ctx);
                if (!body.path("revision").isTextual()) {
                    throw InferenceException.invalid("revision: " + body.get("revision")
                            + " (expected: the canary's name, or no body)");
                }
                revision = body.get("revision").asText();
            }
            return ServiceJson.service(control.promote(ctx.pathParam("service"), revision));
        }

        private static java.util.Set<String> revisionNames(ServiceStatus status) {
            return status.revisions().stream().map(r -> r.spec().name())
                    .collect(java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new));
        }

        static JsonNode body(RoutingContext ctx) {
            String text = ctx.body() == null ? null : ctx.body().asString();
            if (text == null || text.isBlank()) {
                throw InferenceException.invalid("body: empty (expected: a JSON document)");
            }
            try {
                JsonNode node = MAPPER.readTree(text);
                if (node == null || node.isMissingNode()) {
                    throw InferenceException.invalid("body: empty (expected: a JSON document)");
                }
                return node;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                InferenceException refused = JsonLimits.refusal(e, "body");
                throw refused != null ? refused : InferenceException.invalid("body: malformed JSON ("
                        + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
            }
        }

        static Handler<RoutingContext> call(Function<RoutingContext, JsonNode> action) {
            return ctx -> {
                try {
                    json(ctx, 200, action.apply(ctx));
                } catch (InferenceException e) {
                    error(ctx, ErrorStatus.of(e, null).httpStatus(), e.getMessage());
                } catch (RuntimeException e) {
                    LOG.error("admin call {} {} failed", ctx.request().method(), ctx.normalizedPath(), e);
                    error(ctx, 500, "internal error");
                }
            };
        }
    }
}
