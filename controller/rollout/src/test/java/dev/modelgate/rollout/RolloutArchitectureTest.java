package dev.modelgate.rollout;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module's boundaries: the judge is a leaf (samples in, verdicts out, nothing else from this
 * module), the config knows the judge but not the machine, nothing depends on the calibration
 * simulator, no package cycles, and nothing outside the JDK, no clock and no threads in the
 * library code.
 */
class RolloutArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.modelgate.rollout");

    @Test
    void theJudgeDependsOnNothingElseInTheModule() {
        noClasses().that().resideInAPackage("dev.modelgate.rollout.judge..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.modelgate.rollout",
                        "dev.modelgate.rollout.config..", "dev.modelgate.rollout.calibration..")
                .check(CLASSES);
    }

    @Test
    void theConfigDoesNotKnowTheMachine() {
        noClasses().that().resideInAPackage("dev.modelgate.rollout.config..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.modelgate.rollout",
                        "dev.modelgate.rollout.calibration..")
                .check(CLASSES);
    }

    @Test
    void onlyTheCalibrationUsesTheCalibration() {
        noClasses().that().resideOutsideOfPackage("dev.modelgate.rollout.calibration..")
                .should().dependOnClassesThat().resideInAPackage("dev.modelgate.rollout.calibration..")
                .check(CLASSES);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.modelgate.rollout.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void onlyTheJdkAndNoClocksOrThreads() {
        classes().that().resideInAPackage("dev.modelgate.rollout..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.modelgate.rollout..", "java..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("dev.modelgate.rollout..")
                .should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(java.time.Instant.class, "now")
                .orShould().dependOnClassesThat().resideInAnyPackage("java.util.concurrent..")
                .orShould().dependOnClassesThat().areAssignableTo(Thread.class)
                .check(CLASSES);
    }
}
