package dev.modelgate.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
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

    @Test
    void onlyTheRolloutDriverAndConfigUseTheRolloutLibrary() {
        noClasses().that().resideOutsideOfPackages("dev.modelgate.server.rollout..",
                        "dev.modelgate.server.config..")
                .should().dependOnClassesThat().resideInAPackage("dev.modelgate.rollout..")
                .because("the request path records samples; deciding about rollouts is the driver's"
                        + " job (config only reads the rollout blocks)")
                .check(SERVER);
    }

    @Test
    void onlyTheScalingPackageDrivesTheAutoscaler() {
        noClasses().that().resideOutsideOfPackages("dev.modelgate.server.scaling..",
                        "dev.modelgate.server.traffic..")
                .should().dependOnClassesThat().resideInAPackage("dev.modelgate.autoscaler..")
                .because("the policy library is driven from one place (traffic only reads its"
                        + " validated config for a revision's spec)")
                .check(SERVER);
    }

    @Test
    void noKubernetesClientInTheServer() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.fabric8..")
                .because("the cluster is one routing source among others, found by name"
                        + " (config.RoutingSource); its client lives in gateway/discovery")
                .check(SERVER);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.modelgate.server.(*)..").should().beFreeOfCycles()
                .because("each package is one step or one role of the request path; a cycle makes"
                        + " two of them one")
                .check(SERVER);
    }

    @Test
    void theLeafPackagesDependOnNothingElseInTheServer() {
        leaf("routing").because("traffic decisions are pure functions of a policy and a request")
                .check(SERVER);
        leaf("binary").because("the binary tensor format is bytes and api records").check(SERVER);
        leaf("netty", "service").because("the I/O transport and its buffers serve every package"
                + " that does I/O").check(SERVER);
        leaf("json", "binary").because("the OIP JSON codec is bytes and api records (binary"
                + " tensors ride along)").check(SERVER);
        leaf("backend", "service").because("what answers a revision speaks only the service seam")
                .check(SERVER);
    }

    /** Classes of {@code leaf} may use libraries and {@code allowed} server packages only. */
    private static com.tngtech.archunit.lang.ArchRule leaf(String leaf, String... allowed) {
        DescribedPredicate<JavaClass> inside = JavaClass.Predicates.resideOutsideOfPackage(
                "dev.modelgate.server..").or(JavaClass.Predicates.resideInAPackage(
                        "dev.modelgate.server." + leaf + ".."));
        for (String other : allowed) {
            inside = inside.or(JavaClass.Predicates.resideInAPackage(
                    "dev.modelgate.server." + other + ".."));
        }
        return classes().that().resideInAPackage("dev.modelgate.server." + leaf + "..")
                .should().onlyDependOnClassesThat(inside);
    }
}
