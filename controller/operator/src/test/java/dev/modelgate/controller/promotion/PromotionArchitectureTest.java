package dev.modelgate.controller.promotion;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The promotion's decide step is pure: only its {@code kube} subpackage talks to the cluster or runs threads. */
class PromotionArchitectureTest {

    private static final JavaClasses PROMOTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.modelgate.controller.promotion");

    @Test
    void theDecisionNeverTalksToTheCluster() {
        noClasses().that().resideInAPackage("dev.modelgate.controller.promotion")
                .should().dependOnClassesThat().resideInAnyPackage("io.fabric8.kubernetes.client..",
                        "dev.modelgate.controller.kube..", "dev.modelgate.controller.promotion.kube..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
                .because("a promotion step is a pure function of the observed objects and the injected clock")
                .check(PROMOTION);
    }
}
