package dev.modelgate.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped Prometheus rules and Grafana dashboard use only metrics of the catalog; the rules
 * pass {@code promtool check rules} and their unit tests ({@code promtool test rules}).
 */
class DeployConfigTest {
    /** Metric names, not recording-rule names (those contain a colon before the name). */
    private static final Pattern METRIC = Pattern.compile(
            "(?<![:\\w])((?:modelgate|jvm|netty|process|system)_[a-z0-9_]+)");

    private final Path deploy = Promtool.root().resolve("deploy");

    @Test
    void grafanaDashboardUsesOnlyCatalogMetrics() throws Exception {
        String json = Files.readString(deploy.resolve("grafana/modelgate-dashboard.json"));
        Set<String> names = metrics(json);
        assertThat(names).contains("modelgate_requests_total", "modelgate_request_duration_seconds_bucket",
                "modelgate_traffic_weight_ratio", "modelgate_request_batch_size_sum",
                "modelgate_replicas_ready", "modelgate_shadow_rows_total");
        assertThat(names).allSatisfy(name -> assertThat(MetricsCatalog.forSeries(name))
                .as("%s in the catalog", name).isNotNull());
    }

    @Test
    void prometheusRulesUseOnlyCatalogMetrics() throws Exception {
        Set<String> names = metrics(Files.readString(deploy.resolve("prometheus/modelgate-rules.yml")));
        assertThat(names).isNotEmpty().allSatisfy(name -> assertThat(MetricsCatalog.forSeries(name))
                .as("%s in the catalog", name).isNotNull());
    }

    @Test
    void promtoolChecksAndUnitTestsTheRules() throws Exception {
        assumeTrue(Promtool.installed("promtool"), "promtool not installed (Debian package prometheus)");
        Path dir = deploy.resolve("prometheus");
        Promtool.Result check = Promtool.run(null, dir, "promtool", "check", "rules", "modelgate-rules.yml");
        assertThat(check.code()).as(check.output()).isZero();
        Promtool.Result test = Promtool.run(null, dir, "promtool", "test", "rules", "modelgate-rules-test.yml");
        assertThat(test.code()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    private static Set<String> metrics(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = METRIC.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
