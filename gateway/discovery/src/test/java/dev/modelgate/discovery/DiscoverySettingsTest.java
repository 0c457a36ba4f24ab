package dev.modelgate.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.server.config.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiscoverySettingsTest {
    @Test
    void everyNamespaceByDefaultOrWithAStar() {
        assertThat(DiscoverySettings.fromEnvironment(Map.of()).namespaces()).isEmpty();
        assertThat(DiscoverySettings.fromEnvironment(Map.of(DiscoverySettings.NAMESPACES, "*")).namespaces())
                .isEmpty();
        assertThat(DiscoverySettings.fromEnvironment(Map.of()).debounce()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void oneNamespaceOrAList() {
        assertThat(DiscoverySettings.fromEnvironment(Map.of(DiscoverySettings.NAMESPACES, "ml")).namespaces())
                .containsExactly("ml");
        assertThat(DiscoverySettings.fromEnvironment(Map.of(DiscoverySettings.NAMESPACES, "ml, risk"))
                .namespaces()).containsExactlyInAnyOrder("ml", "risk");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> DiscoverySettings.fromEnvironment(Map.of(DiscoverySettings.NAMESPACES, "ml,Bad_NS",
                DiscoverySettings.DEBOUNCE, "5s"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("MODELGATE_DISCOVERY_NAMESPACES: ml,Bad_NS (expected: * or namespace names"
                        + " separated by commas; 'Bad_NS' is not one)")
                .hasMessageContaining("MODELGATE_DISCOVERY_DEBOUNCE_MS: 5s (expected: milliseconds from 0 to 1000)");
    }
}
