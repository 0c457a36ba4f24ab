package dev.modelgate.server;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.spi.Device;
import dev.modelgate.api.spi.LoadedModel;
import dev.modelgate.api.spi.ModelLoadRequest;
import dev.modelgate.api.spi.ModelRuntime;
import dev.modelgate.api.spi.ModelRuntimeProvider;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runtimes for integration tests, built on the testkit's fake (their model files use its format):
 * {@code gated} loads only after its latch opens; {@code broken} loads, then fails every request
 * with an internal exception whose message must never reach a client.
 */
final class TestRuntimes {
    static final String SECRET = "secret internals at Broken.java:42";

    private TestRuntimes() {
    }

    static ModelRuntimeProvider gated(CountDownLatch latch) {
        return provider("gated", request -> {
            try {
                if (!latch.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return null;
        });
    }

    static ModelRuntimeProvider broken() {
        return provider("broken", request -> new LoadedModel() {
            @Override
            public ModelMetadata metadata() {
                return request.metadata();
            }

            @Override
            public Device device() {
                return Device.CPU;
            }

            @Override
            public List<InferenceResponse> infer(List<InferenceRequest> requests) {
                throw new IllegalStateException(SECRET);
            }

            @Override
            public void close() {
            }
        });
    }

    /** Wraps the fake: {@code wrap} sees the fake's model and returns a replacement, or null to keep it. */
    private static ModelRuntimeProvider provider(String name, Wrapper wrap) {
        return new ModelRuntimeProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ModelRuntime create() {
                ModelRuntime fake = new FakeRuntimeProvider().create();
                return new ModelRuntime() {
                    @Override
                    public LoadedModel load(ModelLoadRequest request) {
                        LoadedModel model = fake.load(request);
                        LoadedModel replaced = wrap.apply(model);
                        return replaced == null ? model : replaced;
                    }

                    @Override
                    public void close() {
                        fake.close();
                    }
                };
            }
        };
    }

    private interface Wrapper {
        LoadedModel apply(LoadedModel model);
    }
}
