package dev.modelgate.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The contract's boundary, checked on the compiled main classes (the enforcer checks the pom). */
class ArchitectureTest {
    private static final JavaClasses API = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.modelgate.api");

    @Test
    void theContractIsJdkOnly() {
        classes().that().resideInAPackage("dev.modelgate.api..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.modelgate.api..")
                .because("servers, runtimes and tools all compile against it; it may carry no library")
                .check(API);
    }
}
