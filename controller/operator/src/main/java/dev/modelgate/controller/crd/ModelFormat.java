package dev.modelgate.controller.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/**
 * A model format and optional version, as in KServe's {@code modelFormat}.
 *
 * @param name the format, for example {@code onnx} or {@code pytorch}
 * @param version {@code major}, {@code major.minor} or {@code major.minor.patch}; absent matches any
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelFormat(@Required String name, String version) {
}
