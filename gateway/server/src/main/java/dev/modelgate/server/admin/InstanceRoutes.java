package dev.modelgate.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.api.InferenceException;
import dev.modelgate.server.admin.AdminServer.AdminRoutes;
import dev.modelgate.server.host.InstanceStatus;
import dev.modelgate.server.host.ModelHost;
import dev.modelgate.server.service.ModelRef;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Instance groups on the admin API, the knob the autoscaler will turn:
 *
 * <pre>
 * GET /admin/models/{model}/versions/{version}/instances   the group's status
 * PUT /admin/models/{model}/versions/{version}/instances   {"instances": 4}, answered with the status
 * </pre>
 *
 * Status: {@code {"model", "version", "instances", "batching", "requests", "engine_calls",
 * "queued"}}; with batching, {@code requests / engine_calls} is the mean batch size reached.
 */
public final class InstanceRoutes {
    private static final String PATH = "/admin/models/:model/versions/:version/instances";

    private InstanceRoutes() {
    }

    /** The routes over {@code host}, to mount on the admin router. */
    public static Consumer<Router> of(ModelHost host) {
        return router -> {
            router.get(PATH).handler(AdminRoutes.call(ctx -> write(host.instances(ref(ctx)))));
            router.put(PATH).handler(AdminRoutes.call(ctx -> write(host.resize(ref(ctx),
                    instances(AdminRoutes.body(ctx))))));
        };
    }

    private static ModelRef ref(RoutingContext ctx) {
        return new ModelRef(ctx.pathParam("model"), Optional.of(ctx.pathParam("version")));
    }

    static int instances(JsonNode body) {
        JsonNode count = body.get("instances");
        if (!body.isObject() || count == null || !count.canConvertToInt() || !count.isIntegralNumber()) {
            throw InferenceException.invalid("instances: " + count + " (expected: {\"instances\": N}, an integer"
                    + " in [1, 256])");
        }
        for (Iterator<String> keys = body.fieldNames(); keys.hasNext();) {
            String key = keys.next();
            if (!key.equals("instances")) {
                throw InferenceException.invalid(key + ": " + body.get(key) + " (expected: only the key instances)");
            }
        }
        return count.intValue();
    }

    static ObjectNode write(InstanceStatus status) {
        return JsonNodeFactory.instance.objectNode().put("model", status.model())
                .put("version", status.version()).put("instances", status.instances())
                .put("batching", status.batching()).put("requests", status.requests())
                .put("engine_calls", status.engineCalls()).put("queued", status.queued());
    }
}
