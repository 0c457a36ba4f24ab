package dev.modelgate.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.service.RequestContext;
import dev.modelgate.server.service.RequestObserver;
import dev.modelgate.server.service.RequestRecord;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class AccessLogTest {
    private static final String TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private static RequestContext answered() {
        RequestContext context = new RequestContext("req-7", Map.of("x-secret", "tensor?"),
                1_000_000, 2_000_000);
        context.record().protocol(RequestRecord.Protocol.V1).traceparent(TRACE);
        context.record().routed("iris", "canary");
        return context;
    }

    private static AccessLog log(ServerConfig.AccessLog format) {
        return (AccessLog) AccessLog.of(format, () -> 3_500_000,
                LoggerFactory.getLogger(AccessLog.LOGGER));
    }

    @Test
    void jsonLinesCarryIdentityStatusLatencyAndBytesOnly() throws Exception {
        String line = log(ServerConfig.AccessLog.JSON).line(answered(), 200, 1234, 56);
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("request_id").asText()).isEqualTo("req-7");
        assertThat(json.get("traceparent").asText()).isEqualTo(TRACE);
        assertThat(json.get("service").asText()).isEqualTo("iris");
        assertThat(json.get("revision").asText()).isEqualTo("canary");
        assertThat(json.get("protocol").asText()).isEqualTo("v1");
        assertThat(json.get("status").asInt()).isEqualTo(200);
        assertThat(json.get("latency_ms").asDouble()).isEqualTo(2.5);
        assertThat(json.get("request_bytes").asLong()).isEqualTo(1234);
        assertThat(json.get("response_bytes").asLong()).isEqualTo(56);
        assertThat(json.size()).isEqualTo(9);
        assertThat(line).doesNotContain("x-secret").doesNotContain("tensor");
    }

    @Test
    void textLinesAreKeyValueWithDashesForTheUnknown() {
        RequestContext early = new RequestContext("req-8", Map.of(), 1_000_000, 2_000_000);
        assertThat(log(ServerConfig.AccessLog.TEXT).line(early, 404, 0, 120)).isEqualTo(
                "request_id=req-8 traceparent=- service=- revision=- protocol=rest status=404"
                        + " latency_ms=2.500 request_bytes=0 response_bytes=120");
        assertThat(log(ServerConfig.AccessLog.JSON).line(early, 404, 0, 120))
                .contains("\"service\":null");
    }

    @Test
    void theAuthenticatedClientIsLoggedByItsConfiguredName() throws Exception {
        RequestContext context = answered();
        context.record().client("app-a");
        JsonNode json = new ObjectMapper().readTree(log(ServerConfig.AccessLog.JSON).line(context, 200, 1, 2));
        assertThat(json.get("client").asText()).isEqualTo("app-a");
        assertThat(json.size()).isEqualTo(10);
        assertThat(log(ServerConfig.AccessLog.TEXT).line(context, 200, 1, 2))
                .endsWith(" response_bytes=2 client=app-a");
    }

    @Test
    void offLogsNothing() {
        assertThat(AccessLog.of(ServerConfig.AccessLog.OFF, () -> 0))
                .isNotInstanceOf(AccessLog.class);
        RequestObserver none = AccessLog.of(ServerConfig.AccessLog.OFF, () -> 0);
        none.answered(answered(), 200, 1, 1);
    }
}
