package dev.modelgate.discovery;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Discovery's shape, checked on the compiled main classes. */
class ArchitectureTest {
    private static final JavaClasses DISCOVERY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.modelgate.discovery");

    @Test
    void theDecisionIsPureAndOnlyTheSourceTalksToTheApiServer() {
        noClasses().that().doNotHaveSimpleName("KubernetesRoutingSource")
                .and().doNotHaveSimpleName("KubernetesRoutingSourceProvider")
                .and().areNotNestedClasses()
                .should().dependOnClassesThat().resideInAPackage("io.fabric8.kubernetes.client..")
                .because("RoutingTables and EndpointsFrom are functions of fabric8's model objects;"
                        + " informers and the client stay in the thin source")
                .check(DISCOVERY);
    }

    @Test
    void discoveryUsesTheServerOnlyThroughItsConfigAndTrafficTypes() {
        noClasses().should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("dev.modelgate.server..")
                        .and(DescribedPredicate.not(JavaClass.Predicates.resideInAnyPackage(
                                "dev.modelgate.server.config..", "dev.modelgate.server.traffic.."))))
                .because("a routing source hands the gateway a ServicesConfig, as the config file does")
                .check(DISCOVERY);
    }
}
