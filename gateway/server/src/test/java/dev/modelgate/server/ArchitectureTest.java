package dev.modelgate.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module's boundaries, checked on the compiled main classes. */
class ArchitectureTest {
    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.modelgate.server");

    @Test
    void onlyTheHttpPackageSpeaksNettyHttp() {
        noClasses().that().resideOutsideOfPackages("dev.modelgate.server.http..",
                        "dev.modelgate.server.remote..")
                .should().dependOnClassesThat().resideInAPackage("io.netty.handler.codec.http..")
                .because("the REST transport lives in one package (the client to remote replicas in"
                        + " another); the rest is transport-neutral")
                .check(SERVER);
    }

    @Test
    void runtimesAreReachedOnlyThroughTheSpi() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.modelgate.runtime..")
                .because("runtimes are found by ServiceLoader and chosen by name")
                .check(SERVER);
    }

    @Test
    void theServiceSeamIsTransportNeutral() {
        classes().that().resideInAPackage("dev.modelgate.server.service..")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "dev.modelgate.api..", "dev.modelgate.server.service..")
                .because("REST, gRPC and the traffic splitter all meet at this seam")
                .check(SERVER);
    }

    @Test
    void theHostAndCodecKnowNothingOfNetty() {
        noClasses().that().resideInAnyPackage("dev.modelgate.server.host..",
                        "dev.modelgate.server.json..", "dev.modelgate.server.config..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..",
                        "dev.modelgate.server.http..")
                .check(SERVER);
    }
}
