package dev.modelgate.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetricsCatalogTest {
    @Test
    void docsMetricsMdIsGeneratedFromTheCatalog() throws Exception {
        Path doc = Promtool.root().resolve("docs/metrics.md");
        if (Boolean.getBoolean("catalog.write")) {
            Files.createDirectories(doc.getParent());
            Files.writeString(doc, MetricsCatalog.markdown());
        }
        assertThat(doc).as("regenerate with -Dcatalog.write=true").exists();
        assertThat(Files.readString(doc)).isEqualTo(MetricsCatalog.markdown());
    }

    @Test
    void namesAreUniqueAndFollowPrometheusConventions() {
        Set<String> names = new HashSet<>();
        for (MetricSpec spec : MetricsCatalog.ALL) {
            assertThat(names.add(spec.prometheusName())).as(spec.name()).isTrue();
            assertThat(spec.prometheusName()).matches("[a-z_][a-z0-9_]*");
            assertThat(spec.tags()).doesNotContain("request_id", "path", "id_");
            if (spec.type() == MetricSpec.Type.HISTOGRAM && spec.unit().equals("seconds")) {
                assertThat(spec.prometheusName()).endsWith("_seconds");
            }
        }
        assertThat(MetricsCatalog.REQUESTS.prometheusName()).isEqualTo("modelgate_requests_total");
        assertThat(MetricsCatalog.forSeries("modelgate_request_duration_seconds_bucket"))
                .isEqualTo(MetricsCatalog.REQUEST_DURATION);
        assertThat(MetricsCatalog.forSeries("jvm_memory_used_bytes")).isEqualTo(MetricsCatalog.JVM);
        assertThat(MetricsCatalog.forSeries("modelgate_made_up")).isNull();
    }
}
