package dev.modelgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class RoutingSourcesTest {
    private final ClassLoader loader = getClass().getClassLoader();

    @Test
    void aProviderIsFoundByItsName() {
        RoutingSourceProvider provider = RoutingSources.find("fixed", loader);
        List<ServicesConfig> seen = new java.util.ArrayList<>();

        try (RoutingSource source = provider.create(Map.of())) {
            source.start(seen::add);
        }

        assertThat(provider).isInstanceOf(Fixed.class);
        assertThat(seen).containsExactly(new ServicesConfig(List.of(), Map.of()));
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> RoutingSources.find("etcd", loader)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("routing-source: etcd (expected: one of [fixed, twin]");
    }

    @Test
    void twoProvidersOfOneNameStopStartUp() {
        assertThatThrownBy(() -> RoutingSources.find("twin", loader)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("routing-source: twin (expected: one provider of that name");
    }

    /** Pushes one empty set when started. */
    public static final class Fixed implements RoutingSourceProvider {
        @Override
        public String name() {
            return "fixed";
        }

        @Override
        public RoutingSource create(Map<String, String> environment) {
            return new RoutingSource() {
                @Override
                public void start(Consumer<ServicesConfig> updates) {
                    updates.accept(new ServicesConfig(List.of(), Map.of()));
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** One of two providers named {@code twin}. */
    public static final class Twin implements RoutingSourceProvider {
        @Override
        public String name() {
            return "twin";
        }

        @Override
        public RoutingSource create(Map<String, String> environment) {
            throw new UnsupportedOperationException();
        }
    }

    /** The other one. */
    public static final class OtherTwin implements RoutingSourceProvider {
        @Override
        public String name() {
            return "twin";
        }

        @Override
        public RoutingSource create(Map<String, String> environment) {
            throw new UnsupportedOperationException();
        }
    }
}
