package dev.modelgate.autoscaler;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

/** The module's boundaries, checked on the compiled main classes. */
class AutoscalerArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.modelgate.autoscaler");

    @Test
    void usesTheJdkOnly() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.modelgate.autoscaler..")
                .because("the gateway and the controller both embed this library")
                .check(CLASSES);
    }

    @Test
    void thePolicyNeverSeesTheSimulator() {
        noClasses().that().resideOutsideOfPackage("dev.modelgate.autoscaler.sim..")
                .should().dependOnClassesThat().resideInAPackage("dev.modelgate.autoscaler.sim..")
                .check(CLASSES);
    }

    @Test
    void theSpiDependsOnTheJdkOnly() {
        classes().that().resideInAPackage("dev.modelgate.autoscaler.spi..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.modelgate.autoscaler.spi..")
                .because("actuators implement it without pulling the decider in")
                .check(CLASSES);
    }

    @Test
    void theDecideStepReadsNoClockAndStartsNoThread() {
        noClasses().that().resideInAPackage("dev.modelgate.autoscaler")
                .should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(java.time.Instant.class, "now")
                .orShould().dependOnClassesThat().belongToAnyOf(Thread.class, java.util.concurrent.Executor.class)
                .check(CLASSES);
    }

    @Test
    void implementationsArePackagePrivate() {
        classes().that().haveSimpleNameStartingWith("Default")
                .should().notBePublic().andShould().haveModifier(JavaModifier.FINAL)
                .check(CLASSES);
    }
}
