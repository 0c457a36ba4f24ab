package dev.modelgate.controller.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * One explicit revision (KServe's {@code spec.canary[]} with the stable one listed too).
 *
 * @param name the revision's name, a DNS label unique in the deployment
 * @param model the revision's model; absent means the deployment's {@code model}
 * @param trafficPercent the revision's share; all shares add up to 100
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RevisionSpec(
        @Required @Pattern("^[a-z]([-a-z0-9]*[a-z0-9])?$") String name,
        ModelSpec model,
        @Required @Min(0) @Max(100) Integer trafficPercent) {
}
