package dev.modelgate.server.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.server.traffic.RevisionSpec;
import dev.modelgate.server.traffic.ScaleSpec;
import dev.modelgate.server.traffic.ServiceConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The revision blocks that turn autoscaling on, read through the services config. */
class ScaleSpecTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RevisionSpec read(String json, List<String> problems) throws Exception {
        JsonNode node = JSON.readTree(json);
        return ServiceConfig.revision(node, "r", problems);
    }

    @Test
    void replicasMapMinAndMaxToTheScaleBoundsAndKeepTheBufferKeys() throws Exception {
        List<String> problems = new ArrayList<>();
        RevisionSpec spec = read("{\"name\":\"v1\",\"model\":\"iris\",\"version\":\"1\",\"replicas\":"
                + "{\"min\":0,\"max\":5,\"buffer\":7,\"buffer-timeout\":\"2s\",\"stable-window\":\"6s\"}}", problems);

        assertThat(problems).isEmpty();
        ScaleSpec scale = spec.scale();
        assertThat(scale.kind()).isEqualTo(ScaleSpec.Kind.REPLICAS);
        assertThat(scale.autoscaler().minScale()).isZero();
        assertThat(scale.autoscaler().maxScale()).isEqualTo(5);
        assertThat(scale.autoscaler().stableWindow()).isEqualTo(Duration.ofSeconds(6));
        assertThat(scale.buffer()).isEqualTo(7);
        assertThat(scale.bufferTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(spec.isRemote()).isFalse();
    }

    @Test
    void instancesNeverGoBelowOneAndDoNotScaleToZero() throws Exception {
        List<String> problems = new ArrayList<>();
        RevisionSpec spec = read("{\"name\":\"v1\",\"model\":\"iris\",\"instances\":{\"max\":4}}", problems);
        assertThat(problems).isEmpty();
        assertThat(spec.scale().autoscaler().minScale()).isEqualTo(1);
        assertThat(spec.scale().autoscaler().enableScaleToZero()).isFalse();

        read("{\"name\":\"v1\",\"model\":\"iris\",\"instances\":{\"min\":0,\"max\":4}}", problems);
        assertThat(problems).containsExactly("r.instances.min: 0 (expected: >= 1; an in-process version keeps one instance)");
    }

    @Test
    void everyProblemIsReportedWithItsKeyAndValue() throws Exception {
        List<String> problems = new ArrayList<>();
        RevisionSpec spec = read("{\"name\":\"v1\",\"model\":\"iris\",\"endpoints\":[\"http://h:1\"],"
                + "\"replicas\":{\"buffer\":0,\"buffer-timeout\":\"soon\",\"stable-window\":\"1s\",\"bogus\":1}}",
                problems);

        assertThat(spec).isNull();
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("r.replicas: ").contains("no endpoints"))
                .contains("r.replicas.buffer: 0 (expected: an integer from 1 to 1000000)",
                        "r.replicas.buffer-timeout: \"soon\" (expected: a duration such as 500ms, 10s, 1m)",
                        "r.replicas.max: missing (expected: an integer >= min)")
                .anySatisfy(p -> assertThat(p).startsWith("r.replicas.stable-window: 1s"))
                .anySatisfy(p -> assertThat(p).startsWith("r.replicas.bogus: 1"));
    }
}
