package dev.modelgate.controller.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * The model of a deployment or of one revision, in KServe's words.
 *
 * @param format the model format, which picks the {@link ClusterModelRuntime}
 * @param uri where the model lives: {@code file://}, {@code pvc://}, {@code https://} or {@code s3://}
 * @param runtime the name of a {@link ClusterModelRuntime}; absent means chosen by format and priority
 * @param protocolVersion the inference protocol the runtime speaks ({@code v2} or {@code grpc-v2})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelSpec(
        @Required ModelFormat format,
        @Required @Pattern("^(file|pvc|https?|s3)://.+") String uri,
        String runtime,
        @Pattern("^(v2|grpc-v2)$") String protocolVersion) {
}
