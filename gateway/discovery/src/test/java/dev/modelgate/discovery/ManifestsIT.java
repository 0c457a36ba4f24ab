package dev.modelgate.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders every overlay of {@code deploy/kubernetes} with {@code kubectl kustomize} and checks the
 * gateway's side: its Deployment runs {@code serve --routing-source kubernetes}, and the roles bound
 * to its ServiceAccount grant exactly {@link DiscoveryAccess}, no more, no less.
 */
class ManifestsIT {
    private static final Path OVERLAYS = Path.of("../../deploy/kubernetes/overlays");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private record Grant(String group, String resource, String verb) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"standalone", "kubeflow"})
    void theGatewayDiscoversAndMayDoExactlyWhatDiscoveryDoes(String overlay) throws Exception {
        List<HasMetadata> objects = render(overlay);
        Deployment gateway = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .filter(d -> d.getMetadata().getName().equals("modelgate-gateway")).findFirst().orElseThrow();
        String namespace = gateway.getMetadata().getNamespace();
        String account = gateway.getSpec().getTemplate().getSpec().getServiceAccountName();
        Container container = gateway.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(String.join(" ", container.getArgs())).startsWith("serve --routing-source kubernetes ");

        Set<Grant> granted = new HashSet<>();
        for (ClusterRoleBinding binding : only(objects, ClusterRoleBinding.class)) {
            if (binding.getSubjects().stream().anyMatch(s -> s.getKind().equals("ServiceAccount")
                    && s.getName().equals(account) && namespace.equals(s.getNamespace()))) {
                ClusterRole role = only(objects, ClusterRole.class).stream()
                        .filter(r -> r.getMetadata().getName().equals(binding.getRoleRef().getName()))
                        .findFirst().orElseThrow();
                for (PolicyRule rule : role.getRules()) {
                    for (String group : rule.getApiGroups()) {
                        for (String resource : rule.getResources()) {
                            rule.getVerbs().forEach(verb -> granted.add(new Grant(group, resource, verb)));
                        }
                    }
                }
            }
        }
        assertThat(only(objects, RoleBinding.class)).noneMatch(b -> b.getSubjects().stream()
                .anyMatch(s -> s.getName().equals(account)));
        Set<Grant> used = new HashSet<>();
        for (DiscoveryAccess access : DiscoveryAccess.all()) {
            access.verbs().forEach(verb -> used.add(new Grant(access.group(), access.resource(), verb)));
        }
        assertThat(granted).as("what the roles bound to %s/%s grant", namespace, account)
                .containsExactlyInAnyOrderElementsOf(used);
    }

    private static <T> List<T> only(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static List<HasMetadata> render(String overlay) throws IOException, InterruptedException {
        Assumptions.assumeTrue(kustomizeVersion() >= 4, "kubectl 1.24 or newer (embedded Kustomize v4+) is needed"
                + " to render the overlays; not found on PATH (apt-get install -y kubernetes-client is too old)");
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

    /** The major version of kubectl's embedded Kustomize; 0 without kubectl or when it does not say. */
    private static int kustomizeVersion() throws IOException, InterruptedException {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            found |= Files.isExecutable(Path.of(dir, "kubectl"));
        }
        if (!found) {
            return 0;
        }
        Process process = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(60, TimeUnit.SECONDS);
        Matcher m = Pattern.compile("Kustomize Version: v(\\d+)").matcher(out);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
