package dev.modelgate.loadtests;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module's boundaries: HTTP stays in the transport, the CLI in its one class, no gateway internals. */
class LoadtestsArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.modelgate.loadtests");

    @Test
    void nettyStaysInTheTransport() {
        noClasses().that().doNotHaveFullyQualifiedName(NettyTransport.class.getName())
                .and().haveNameNotMatching(".*NettyTransport\\$.*")
                .should().dependOnClassesThat().resideInAPackage("io.netty..")
                .check(CLASSES);
    }

    @Test
    void picocliStaysInTheCommand() {
        noClasses().that().doNotHaveFullyQualifiedName(ModelgateLoad.class.getName())
                .should().dependOnClassesThat().resideInAPackage("picocli..")
                .check(CLASSES);
    }

    /** Only the JMH benchmarks may see gateway internals (they measure its hot paths). */
    @Test
    void drivesTheGatewayOnlyOverHttp() {
        noClasses().that().resideOutsideOfPackage("dev.modelgate.loadtests.jmh..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.modelgate.server..",
                        "dev.modelgate.runtime..").check(CLASSES);
    }

    @Test
    void theLoadGeneratorDoesNotUseTheBenchmarks() {
        noClasses().that().resideOutsideOfPackage("dev.modelgate.loadtests.jmh..")
                .should().dependOnClassesThat().resideInAPackage("dev.modelgate.loadtests.jmh..")
                .check(CLASSES);
    }
}
