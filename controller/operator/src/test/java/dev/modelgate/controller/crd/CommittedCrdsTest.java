package dev.modelgate.controller.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRDs under {@code deploy/kubernetes/base/crds/} are what the build generates from the Java types
 * ({@code crd-generator-maven-plugin}, run in {@code process-classes}), so a changed type without regenerated YAML
 * fails here. To regenerate: {@code mvn -pl controller/operator process-classes} then
 * {@code cp controller/operator/target/classes/META-INF/fabric8/*.yml deploy/kubernetes/base/crds/}.
 */
class CommittedCrdsTest {

    private static final Path GENERATED = Path.of("target/classes/META-INF/fabric8");
    private static final Path COMMITTED = Path.of("../../deploy/kubernetes/base/crds");

    @Test
    void committedCrdsEqualTheGeneratedOnes() throws IOException {
        List<String> generated = names(GENERATED);
        assertThat(generated).containsExactly("clustermodelruntimes.serving.modelgate.dev-v1.yml",
                "modeldeployments.serving.modelgate.dev-v1.yml", "modelpromotions.serving.modelgate.dev-v1.yml");
        assertThat(names(COMMITTED)).containsExactlyElementsOf(generated);
        for (String name : generated) {
            assertThat(Files.readString(COMMITTED.resolve(name)))
                    .as("%s is stale: regenerate it (see this test's Javadoc)", name)
                    .isEqualTo(Files.readString(GENERATED.resolve(name)));
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")).sorted().toList();
        }
    }
}
