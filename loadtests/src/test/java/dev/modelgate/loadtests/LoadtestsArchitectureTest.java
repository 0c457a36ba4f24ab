package dev.modelgate.loadtests;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module's boundaries: Netty stays in the HTTP transport, gRPC in the {@code Grpc*} classes,
 * the CLI in its one class, no gateway internals. The gRPC messages live in
 * {@code dev.modelgate.server.grpc.proto} because that is the java_package of the gateway's proto
 * file, which this module compiles itself; they are the wire contract, not gateway code.
 */
class LoadtestsArchitectureTest {
    private static final String GRPC_PROTO = "dev.modelgate.server.grpc.proto";
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.modelgate.loadtests");

    /** In the load generator; the floor relay (a server of its own, beside nginx) is all Netty. */
    @Test
    void nettyStaysInTheTransport() {
        noClasses().that().doNotHaveFullyQualifiedName(NettyTransport.class.getName())
                .and().haveNameNotMatching(".*NettyTransport\\$.*")
                .and().resideOutsideOfPackage("dev.modelgate.loadtests.floor..")
                .should().dependOnClassesThat().resideInAPackage("io.netty..")
                .check(CLASSES);
    }

    @Test
    void theLoadGeneratorDoesNotUseTheFloorRelay() {
        noClasses().that().resideOutsideOfPackage("dev.modelgate.loadtests.floor..")
                .should().dependOnClassesThat().resideInAPackage("dev.modelgate.loadtests.floor..")
                .check(CLASSES);
    }

    @Test
    void grpcStaysInTheGrpcClasses() {
        noClasses().that().resideInAPackage("dev.modelgate.loadtests..")
                .and().haveNameNotMatching("dev\\.modelgate\\.loadtests\\.Grpc[^.]*")
                .should().dependOnClassesThat().resideInAnyPackage("io.grpc..", "com.google.protobuf..",
                        GRPC_PROTO)
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
    void drivesTheGatewayOnlyOverTheWire() {
        noClasses().that().resideOutsideOfPackage("dev.modelgate.loadtests.jmh..")
                .should().dependOnClassesThat(resideInAnyPackage("dev.modelgate.server..", "dev.modelgate.runtime..")
                        .and(resideInAPackage(GRPC_PROTO).negate()))
                .check(CLASSES);
    }

    @Test
    void theLoadGeneratorDoesNotUseTheBenchmarks() {
        noClasses().that().resideOutsideOfPackage("dev.modelgate.loadtests.jmh..")
                .should().dependOnClassesThat().resideInAPackage("dev.modelgate.loadtests.jmh..")
                .check(CLASSES);
    }
}
