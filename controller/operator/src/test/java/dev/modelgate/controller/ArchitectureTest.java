package dev.modelgate.controller;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.fabric8.kubernetes.client.CustomResource;
import org.junit.jupiter.api.Test;

/** The controller's observe/decide/act split, checked on the compiled main classes. */
class ArchitectureTest {

    private static final JavaClasses CONTROLLER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.modelgate.controller");

    @Test
    void theReconcileIsPureItNeverTalksToTheCluster() {
        noClasses().that().resideInAnyPackage("dev.modelgate.controller.reconcile..",
                        "dev.modelgate.controller.crd..")
                .should().dependOnClassesThat().resideInAnyPackage("io.fabric8.kubernetes.client.dsl..",
                        "io.fabric8.kubernetes.client.informers..", "io.fabric8.kubernetes.client.extended..",
                        "dev.modelgate.controller.kube..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(
                        "io.fabric8.kubernetes.client.KubernetesClient")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
                .because("decide is a pure function of the observed state and the injected clock")
                .check(CONTROLLER);
    }

    @Test
    void theResourceTypesDependOnlyOnTheModel() {
        classes().that().resideInAPackage("dev.modelgate.controller.crd..")
                .should().onlyDependOnClassesThat(JavaClass.Predicates.resideInAnyPackage("java..",
                        "dev.modelgate.controller.crd..", "io.fabric8.kubernetes.api.model..",
                        "io.fabric8.kubernetes.model.annotation..", "io.fabric8.generator.annotation..",
                        "io.fabric8.crd.generator.annotation..", "com.fasterxml.jackson.annotation..")
                        .or(JavaClass.Predicates.equivalentTo(CustomResource.class)))
                .because("the resource types are the API: plain data, no behaviour that needs a client")
                .check(CONTROLLER);
    }

    @Test
    void noJackson2DatabindAnywhere() {
        noClasses().should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson.databind..")
                .because("fabric8 8 is Jackson 3 (tools.jackson); Jackson 2 databind annotations are ignored")
                .check(CONTROLLER);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.modelgate.controller.(*)..").should().beFreeOfCycles().check(CONTROLLER);
    }
}
