package dev.modelgate.controller.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.OptionSpec;
import tools.jackson.core.type.TypeReference;

/**
 * {@code deploy/kfp/component.yaml} against the rules Kubeflow Pipelines' loader applies to a v1 component spec
 * (kubeflow-integration reference §3.4; there is no {@code kfp} here to load it), and against the command it calls:
 * every flag it passes is one {@code modelgate-controller deploy} knows, and the pipeline runner's RBAC grants what
 * the command uses.
 */
class KfpComponentTest {

    private static final Path COMPONENT = Path.of("../../deploy/kfp/component.yaml");
    private static final Path RBAC = Path.of("../../deploy/kfp/pipeline-runner-rbac.yaml");
    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    private static final Set<String> TOP_LEVEL = Set.of("name", "description", "metadata", "inputs", "outputs",
            "implementation", "version");
    private static final Set<String> ARTIFACT_TYPES = Set.of("Artifact", "Model", "Dataset", "Metrics",
            "ClassificationMetrics", "SlicedClassificationMetrics", "HTML", "Markdown");

    private static Map<String, Object> component() throws IOException {
        return YAML.unmarshal(Files.readString(COMPONENT), new TypeReference<Map<String, Object>>() { });
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    /** KFP's name sanitizer: lower case, runs of anything but {@code [_0-9a-z]} become {@code _}, trimmed. */
    static String sanitize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^_0-9a-z]+", "_").replaceAll("^_+|_+$", "");
    }

    private static boolean artifact(String type) {
        return type == null || ARTIFACT_TYPES.contains(type) || !parameterType(type);
    }

    private static boolean parameterType(String type) {
        return Set.of("string", "str", "text", "integer", "int", "float", "double", "bool", "boolean", "dict",
                "jsonobject", "list", "jsonarray").contains(type.toLowerCase(Locale.ROOT));
    }

    @Test
    @SuppressWarnings("unchecked")
    void topLevelKeysImageAndCommandAreThoseOfAV1ComponentSpec() throws IOException {
        Map<String, Object> component = component();
        assertThat(TOP_LEVEL).containsAll(component.keySet());
        assertThat((String) component.get("name")).isNotBlank();
        Map<String, Object> container = map(map(component.get("implementation")).get("container"));
        assertThat((String) container.get("image")).isNotBlank();
        assertThat(container.keySet()).isSubsetOf("image", "command", "args", "env", "fileOutputs");
        assertThat((List<Object>) container.get("command")).containsExactly("modelgate-controller", "deploy");
    }

    @Test
    void namesAreUniqueAlsoAfterSanitizingAndDefaultsParseAsTheirTypes() throws IOException {
        Map<String, Object> component = component();
        for (String section : List.of("inputs", "outputs")) {
            List<String> names = list(component.get(section)).stream().map(i -> (String) i.get("name")).toList();
            assertThat(names).doesNotHaveDuplicates().allSatisfy(n -> assertThat(n).isNotBlank());
            assertThat(names.stream().map(KfpComponentTest::sanitize).toList()).doesNotHaveDuplicates();
        }
        for (Map<String, Object> input : list(component.get("inputs"))) {
            assertThat(input.keySet()).isSubsetOf("name", "type", "description", "default", "optional");
            if (!input.containsKey("default")) {
                continue;
            }
            assertThat(input.get("default")).as("a default is a string in the v1 dialect").isInstanceOf(String.class);
            String text = (String) input.get("default");
            String type = ((String) input.get("type")).toLowerCase(Locale.ROOT);
            assertThatCode(() -> {
                switch (type) {
                    case "integer", "int" -> Long.parseLong(text);
                    case "float", "double" -> Double.parseDouble(text);
                    case "bool", "boolean" -> assertThat(text.toLowerCase(Locale.ROOT)).isIn("true", "false");
                    case "jsonobject", "dict" -> YAML.unmarshal(text, new TypeReference<Map<String, Object>>() { });
                    case "jsonarray", "list" -> YAML.unmarshal(text, new TypeReference<List<Object>>() { });
                    default -> assertThat(type).isIn("string", "str", "text");
                }
            }).as("default of %s", input.get("name")).doesNotThrowAnyException();
        }
    }

    @Test
    void everyPlaceholderNamesADeclaredInputOrOutputOfTheRightKindAndTheIrMatchesTheGoldenFile() throws IOException {
        Map<String, Object> component = component();
        Map<String, String> inputs = types(list(component.get("inputs")));
        Map<String, String> outputs = types(list(component.get("outputs")));
        Map<String, Object> container = map(map(component.get("implementation")).get("container"));
        List<Object> all = new ArrayList<>((List<?>) container.get("command"));
        all.addAll((List<?>) container.get("args"));

        List<String> ir = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (Object arg : all) {
            if (arg instanceof String literal) {
                ir.add(literal);
                continue;
            }
            Map<String, Object> placeholder = map(arg);
            assertThat(placeholder).as("one key per placeholder: %s", placeholder).hasSize(1);
            String key = placeholder.keySet().iterator().next();
            String name = (String) placeholder.get(key);
            used.add(name);
            switch (key) {
                case "inputValue" -> {
                    assertThat(inputs).containsKey(name);
                    assertThat(artifact(inputs.get(name))).as("%s is a parameter", name).isFalse();
                    ir.add("{{$.inputs.parameters['" + sanitize(name) + "']}}");
                }
                case "inputUri", "inputPath" -> {
                    assertThat(inputs).containsKey(name);
                    assertThat(artifact(inputs.get(name))).as("%s is an artifact", name).isTrue();
                    ir.add("{{$.inputs.artifacts['" + sanitize(name) + "']." + (key.equals("inputUri") ? "uri" : "path")
                            + "}}");
                }
                case "outputPath" -> {
                    assertThat(outputs).containsKey(name);
                    ir.add(artifact(outputs.get(name)) ? "{{$.outputs.artifacts['" + sanitize(name) + "'].path}}"
                            : "{{$.outputs.parameters['" + sanitize(name) + "'].output_file}}");
                }
                default -> throw new AssertionError("placeholder " + key + " (expected: inputValue, inputUri,"
                        + " inputPath or outputPath)");
            }
        }
        assertThat(used).as("every input and output is passed").containsAll(inputs.keySet())
                .containsAll(outputs.keySet());
        assertThat(ir).containsExactlyElementsOf(Files.readAllLines(
                Path.of("src/test/resources/kfp/component-args.golden")));
        assertThat(inputs).containsEntry("Model", "Model");
    }

    @Test
    void theComponentPassesOnlyFlagsTheDeployCommandKnowsAndEveryRequiredOne() throws IOException {
        Map<String, Object> container = map(map(component().get("implementation")).get("container"));
        Set<String> passed = ((List<?>) container.get("args")).stream().filter(String.class::isInstance)
                .map(String.class::cast).collect(Collectors.toSet());
        Set<String> known = DeployCommand.spec().options().stream().flatMap(o -> List.of(o.names()).stream())
                .collect(Collectors.toSet());
        assertThat(known).containsAll(passed);
        assertThat(passed).containsAll(DeployCommand.spec().options().stream().filter(OptionSpec::required)
                .map(OptionSpec::longestName).toList());
    }

    @Test
    void thePipelineRunnersRoleGrantsExactlyWhatTheDeployCommandUses() throws IOException {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : Files.readString(RBAC).split("(?m)^---$")) {
            if (!document.isBlank()) {
                objects.add(YAML.unmarshal(document));
            }
        }
        ClusterRole role = objects.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast)
                .findFirst().orElseThrow();
        assertThat(role.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("serving.modelgate.dev");
            assertThat(rule.getResources()).containsExactly("modeldeployments");
            assertThat(rule.getVerbs()).containsExactlyInAnyOrderElementsOf(Deployer.VERBS);
        });
        ClusterRoleBinding binding = objects.stream().filter(ClusterRoleBinding.class::isInstance)
                .map(ClusterRoleBinding.class::cast).findFirst().orElseThrow();
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> assertThat(s.getName())
                .isEqualTo("pipeline-runner"));
    }

    @Test
    void minioUrisOfThePipelineArtifactStoreBecomeS3() {
        assertThat(DeployCommand.s3("minio://mlpipeline/v2/artifacts/p/r/train/model"))
                .isEqualTo("s3://mlpipeline/v2/artifacts/p/r/train/model");
        assertThat(DeployCommand.s3("pvc://claim/model")).isEqualTo("pvc://claim/model");
    }

    private static Map<String, String> types(List<Map<String, Object>> declared) {
        Map<String, String> types = new LinkedHashMap<>();
        declared.forEach(d -> types.put((String) d.get("name"), (String) d.get("type")));
        return types;
    }
}
