package dev.modelgate.server.admin;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.server.FuzzContract;
import dev.modelgate.server.admin.AdminServer.AdminRoutes;
import dev.modelgate.server.traffic.TrafficPolicyJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.RoutingContext;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Jazzer target for the admin API's JSON readers: the body parser every admin call shares, then
 * each reader over the same body as its route would call it (new revision, traffic policy,
 * traffic weights, instance count). Every reader must answer a value or a 4xx on its own.
 *
 * <p>The routing context is a proxy that only has a body: the readers are what is fuzzed, and a
 * Vert.x server per input would fuzz the HTTP stack at a hundredth of the speed.
 */
class AdminJsonFuzzTest {
    private static final Set<String> REVISIONS = Set.of("v1", "v2");

    @FuzzTest(maxDuration = "60s")
    void adminBody(byte[] bytes) {
        int length = bytes.length;
        RoutingContext ctx = context(Buffer.buffer(bytes));
        JsonNode body = FuzzContract.readOrClientError(length, () -> AdminRoutes.body(ctx));
        if (body == null) {
            return;
        }
        FuzzContract.readOrClientError(length, () -> ServiceJson.revision(body));
        FuzzContract.readOrClientError(length, () -> TrafficPolicyJson.readValid(body, REVISIONS));
        FuzzContract.readOrClientError(length, () -> {
            ObjectNode traffic = JsonNodeFactory.instance.objectNode();
            traffic.set("weights", body);
            return TrafficPolicyJson.readValid(traffic, REVISIONS);
        });
        FuzzContract.readOrClientError(length, () -> InstanceRoutes.instances(body));
    }

    private static RoutingContext context(Buffer buffer) {
        RequestBody body = (RequestBody) Proxy.newProxyInstance(RequestBody.class.getClassLoader(),
                new Class<?>[] {RequestBody.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "asString" -> buffer.toString(StandardCharsets.UTF_8);
                    case "buffer" -> buffer;
                    case "length" -> buffer.length();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (RoutingContext) Proxy.newProxyInstance(RoutingContext.class.getClassLoader(),
                new Class<?>[] {RoutingContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("body")) {
                        return body;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
