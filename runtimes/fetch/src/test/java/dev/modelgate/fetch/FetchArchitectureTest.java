package dev.modelgate.fetch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module's boundaries, checked on the compiled main classes. */
class FetchArchitectureTest {
    private static final JavaClasses FETCH = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.modelgate.fetch");

    @Test
    void onlyTheJdkAndTheS3Client() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "javax.net..", "dev.modelgate.fetch..", "software.amazon.awssdk..")
                .because("fetch-model runs in an init container beside the gateway's jars")
                .check(FETCH);
    }

    @Test
    void theAwsSdkStaysInTheS3Source() {
        noClasses().that().doNotHaveSimpleName("S3Source")
                .should().dependOnClassesThat().resideInAPackage("software.amazon.awssdk..")
                .because("one scheme, one class: the SDK is an implementation detail of s3://")
                .check(FETCH);
    }

    @Test
    void implementationsArePackagePrivateAndFinal() {
        classes().that().areNotInterfaces().and().areNotRecords().and().areNotEnums()
                .and().doNotHaveSimpleName("FetchException")
                .and().areTopLevelClasses()
                .should().notBePublic().andShould().haveModifier(JavaModifier.FINAL)
                .check(FETCH);
    }
}
