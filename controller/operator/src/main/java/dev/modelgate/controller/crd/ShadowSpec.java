package dev.modelgate.controller.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/**
 * Mirror a share of requests to a revision; its answers are compared, never returned.
 *
 * @param revision the mirrored revision's name
 * @param percent the share of requests mirrored
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ShadowSpec(@Required String revision, @Min(0) @Max(100) Integer percent) {
}
