package dev.modelgate.api.spi;

/**
 * Entry point of a runtime implementation, registered in
 * {@code META-INF/services/dev.modelgate.api.spi.ModelRuntimeProvider} and chosen by
 * {@link #name()}. Two providers with the same name stop start-up.
 */
public interface ModelRuntimeProvider {
    /** The name models select this runtime by, for example {@code onnx}. */
    String name();

    /** Creates a runtime; the caller closes it. */
    ModelRuntime create();
}
