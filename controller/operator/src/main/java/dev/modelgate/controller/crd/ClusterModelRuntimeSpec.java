package dev.modelgate.controller.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/**
 * A runtime template. The image is the one Modelgate image ({@code modelgate runtime} and {@code modelgate
 * fetch-model} in one); {@code engine} is the gateway's runtime name in {@code model.yaml} ({@code onnx} or
 * {@code djl}).
 *
 * @param image the container image
 * @param engine the in-process runtime that loads the model ({@code onnx} or {@code djl})
 * @param supportedModelFormats the formats it serves, with priorities
 * @param protocolVersions the protocols it speaks
 * @param resources default container resources (a deployment's own resources win)
 * @param nodeSelector default node selector (merged under the deployment's)
 * @param tolerations default tolerations (added to the deployment's)
 * @param env extra environment of the runtime container
 * @param disabled a disabled runtime is never chosen
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterModelRuntimeSpec(
        @Required String image,
        @Required @Pattern("^(onnx|djl)$") String engine,
        @Required List<SupportedModelFormat> supportedModelFormats,
        List<String> protocolVersions,
        ResourceRequirements resources,
        Map<String, String> nodeSelector,
        List<Toleration> tolerations,
        List<EnvVar> env,
        Boolean disabled) {

    /**
     * A format the runtime serves (KServe's {@code supportedModelFormats} entry).
     *
     * @param name the format name
     * @param version the format version; absent serves any
     * @param autoSelect whether the runtime may be chosen for a deployment that names no runtime
     * @param priority the higher, the more preferred among auto-selected runtimes
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SupportedModelFormat(@Required String name, String version, Boolean autoSelect,
            @Min(1) Integer priority) {
    }
}
