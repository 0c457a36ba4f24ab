package dev.modelgate.server.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.api.spi.ModelRuntime;
import dev.modelgate.api.spi.ModelRuntimeProvider;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuntimeRegistryTest {

    @Test
    void findsProvidersOnTheClassPathByName() {
        try (RuntimeRegistry registry = RuntimeRegistry.fromClassPath()) {
            assertThat(registry.names()).contains("fake");
            ModelRuntime runtime = registry.runtime("fake");
            assertThat(registry.runtime("fake")).isSameAs(runtime);
        }
    }

    @Test
    void duplicateNamesStopStartUp() {
        ModelRuntimeProvider impostor = new ModelRuntimeProvider() {
            @Override
            public String name() {
                return "fake";
            }

            @Override
            public ModelRuntime create() {
                throw new UnsupportedOperationException();
            }
        };
        assertThatThrownBy(() -> RuntimeRegistry.of(List.of(new FakeRuntimeProvider(), impostor)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("runtime fake: " + FakeRuntimeProvider.class.getName() + " and ")
                .hasMessageContaining("(expected: one provider per name)");
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        try (RuntimeRegistry registry = RuntimeRegistry.of(List.of(new FakeRuntimeProvider()))) {
            assertThatThrownBy(() -> registry.runtime("onnx"))
                    .hasMessage("runtime: onnx (expected one of [fake])");
        }
    }
}
