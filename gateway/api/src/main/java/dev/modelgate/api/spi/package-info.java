/**
 * The runtime SPI. A {@link dev.modelgate.api.spi.ModelRuntimeProvider} is found by
 * {@link java.util.ServiceLoader} and chosen by its name; it creates a
 * {@link dev.modelgate.api.spi.ModelRuntime}, which loads models from local paths into
 * {@link dev.modelgate.api.spi.LoadedModel}s that report metadata and run batches of requests.
 */
package dev.modelgate.api.spi;
