package dev.modelgate.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.controller.crd.ClusterModelRuntime;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders every overlay of {@code deploy/kubernetes} with {@code kubectl kustomize}, parses every object with
 * fabric8, and checks that the controller's RBAC grants exactly the accesses in {@link Access}, that the bindings
 * point at the controller's ServiceAccount in the namespace it runs in, and that the controller finds the gateway.
 */
class ManifestsIT {

    private static final Path OVERLAYS = Path.of("../../deploy/kubernetes/overlays");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private record Grant(String group, String resource, String verb, boolean clusterWide) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"standalone", "kubeflow"})
    void overlayRendersParsesAndGrantsExactlyWhatTheControllerUses(String overlay) throws Exception {
        List<HasMetadata> objects = render(overlay);

        assertThat(objects).allSatisfy(o -> {
            assertThat(o.getKind()).isNotBlank();
            assertThat(o.getMetadata().getName()).isNotBlank();
        });
        assertThat(only(objects, CustomResourceDefinition.class)).extracting(c -> c.getMetadata().getName())
                .containsExactlyInAnyOrder("modeldeployments.serving.modelgate.dev",
                        "clustermodelruntimes.serving.modelgate.dev", "modelpromotions.serving.modelgate.dev");
        assertThat(objects).filteredOn(o -> o.getKind().equals("ClusterModelRuntime")).isNotEmpty()
                .allSatisfy(o -> {
                    ClusterModelRuntime runtime = SERIALIZATION.convertValue(o, ClusterModelRuntime.class);
                    assertThat(runtime.getSpec().engine()).isIn("onnx", "djl");
                    assertThat(runtime.getSpec().supportedModelFormats()).isNotEmpty();
                });

        Deployment controller = named(objects, Deployment.class, "modelgate-controller");
        String namespace = controller.getMetadata().getNamespace();
        String account = controller.getSpec().getTemplate().getSpec().getServiceAccountName();
        var container = controller.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getCommand()).containsExactly("modelgate-controller");
        assertThat(env(container.getEnv(), "POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.namespace");
        assertThat(container.getEnv()).as("the controller derives the gateway's URL from its own namespace")
                .noneMatch(e -> e.getName().equals("MODELGATE_GATEWAY_URL"));
        assertThat(named(objects, Service.class, "modelgate-gateway").getMetadata().getNamespace())
                .isEqualTo(namespace);

        Set<Grant> granted = grants(objects, namespace, account);
        Set<Grant> used = new HashSet<>();
        for (Access access : Access.all()) {
            for (String verb : access.verbs()) {
                used.add(new Grant(access.group(), access.resource(), verb, access.clusterWide()));
            }
        }
        assertThat(granted).as("the RBAC of %s in %s grants exactly what Access lists", account, namespace)
                .containsExactlyInAnyOrderElementsOf(used);
    }

    @ParameterizedTest
    @ValueSource(strings = {"standalone", "kubeflow"})
    void usersGetEditAndViewRolesThroughAggregation(String overlay) throws Exception {
        String prefix = overlay.equals("kubeflow") ? "rbac.authorization.kubeflow.org/aggregate-to-kubeflow-"
                : "rbac.authorization.k8s.io/aggregate-to-";
        List<ClusterRole> roles = only(render(overlay), ClusterRole.class);

        ClusterRole edit = aggregatedTo(roles, prefix + "edit");
        ClusterRole view = aggregatedTo(roles, prefix + "view");
        assertThat(verbs(edit, "modeldeployments")).contains("create", "update", "delete");
        assertThat(verbs(view, "modeldeployments")).containsExactlyInAnyOrder("get", "list", "watch");
    }

    private static List<HasMetadata> render(String overlay) throws IOException, InterruptedException {
        Assumptions.assumeTrue(kubectl(), "kubectl is not installed (apt-get install -y kubernetes-client)");
        Assumptions.assumeTrue(kustomizeVersion() >= 4, "kubectl's embedded Kustomize is older than v4"
                + " (kubectl < 1.24, such as Debian 12's kubernetes-client 1.20): install a newer kubectl");
        Process process = new ProcessBuilder("kubectl", "kustomize", OVERLAYS.resolve(overlay).toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String yaml = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("kubectl kustomize %s", overlay).isZero();
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : yaml.split("(?m)^---$")) {
            if (!document.isBlank()) {
                objects.add(SERIALIZATION.unmarshal(document));
            }
        }
        return objects;
    }

    /** The major version of kubectl's embedded Kustomize; 0 when kubectl does not say (before 1.24). */
    private static int kustomizeVersion() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(60, TimeUnit.SECONDS);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Kustomize Version: v(\\d+)").matcher(out);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static boolean kubectl() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "kubectl"))) {
                return true;
            }
        }
        return false;
    }

    /** (group, resource, verb, cluster-wide) granted to the service account by bound roles. */
    private static Set<Grant> grants(List<HasMetadata> objects, String namespace, String account) {
        Set<Grant> grants = new HashSet<>();
        for (ClusterRoleBinding binding : only(objects, ClusterRoleBinding.class)) {
            if (bindsAccount(binding.getSubjects(), namespace, account)) {
                rules(named(objects, ClusterRole.class, binding.getRoleRef().getName()).getRules(), true, grants);
            }
        }
        for (RoleBinding binding : only(objects, RoleBinding.class)) {
            if (bindsAccount(binding.getSubjects(), namespace, account)) {
                assertThat(binding.getMetadata().getNamespace()).isEqualTo(namespace);
                assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
                Role role = named(objects, Role.class, binding.getRoleRef().getName());
                assertThat(role.getMetadata().getNamespace()).isEqualTo(namespace);
                rules(role.getRules(), false, grants);
            }
        }
        return grants;
    }

    private static boolean bindsAccount(List<Subject> subjects, String namespace, String account) {
        return subjects.stream().anyMatch(s -> s.getKind().equals("ServiceAccount") && s.getName().equals(account)
                && namespace.equals(s.getNamespace()));
    }

    private static void rules(List<PolicyRule> rules, boolean clusterWide, Set<Grant> grants) {
        for (PolicyRule rule : rules) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        grants.add(new Grant(group, resource, verb, clusterWide));
                    }
                }
            }
        }
    }

    private static ClusterRole aggregatedTo(List<ClusterRole> roles, String label) {
        return roles.stream().filter(r -> r.getMetadata().getLabels() != null
                && "true".equals(r.getMetadata().getLabels().get(label))).findFirst()
                .orElseThrow(() -> new AssertionError("no ClusterRole labelled " + label));
    }

    private static Set<String> verbs(ClusterRole role, String resource) {
        Set<String> verbs = new HashSet<>();
        role.getRules().stream().filter(r -> r.getResources().contains(resource)).forEach(r -> verbs.addAll(r.getVerbs()));
        return verbs;
    }

    private static EnvVar env(List<EnvVar> env, String name) {
        return env.stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name));
    }

    private static <T> List<T> only(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> type, String name) {
        return only(objects, type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

}
