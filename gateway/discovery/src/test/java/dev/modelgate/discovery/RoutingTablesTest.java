package dev.modelgate.discovery;

import static dev.modelgate.discovery.Fixtures.endpoint;
import static dev.modelgate.discovery.Fixtures.ready;
import static dev.modelgate.discovery.Fixtures.slice;
import static dev.modelgate.discovery.Fixtures.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.server.traffic.ServiceSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutingTablesTest {
    private static final ConfigMap IRIS = table("ml", "iris", Map.of("iris-00001", 90, "iris-00002", 10), 8080);

    @Test
    void endpointsFromBecomeOneLiteralEndpointPerReadyPod() {
        RoutingTables.Resolution resolution = resolve(List.of(IRIS),
                slice("ml", "iris-00001", ready("10.0.0.2"), ready("10.0.0.1")),
                slice("ml", "iris-00002", ready("10.0.1.1")), slice("other", "iris-00001", ready("10.9.9.9")));

        assertThat(resolution.problems()).isEmpty();
        ServiceSpec iris = only(resolution);
        assertThat(endpoints(iris, "iris-00001")).containsExactly("http://10.0.0.1:8080", "http://10.0.0.2:8080");
        assertThat(endpoints(iris, "iris-00002")).containsExactly("http://10.0.1.1:8080");
        assertThat(iris.traffic().weights()).containsEntry("iris-00001", 90).containsEntry("iris-00002", 10);
        assertThat(iris.stable()).isEqualTo("iris-00001");
        assertThat(iris.revision("iris-00001").remote().balancer()).isEqualTo("p2c");
    }

    @Test
    void aNamedPortIsResolvedInEachSliceAsKubeProxyResolvesANamedTargetPort() {
        ConfigMap named = table("ml", "iris-routes", """
                services:
                  - name: iris
                    revisions:
                      - {name: iris-00001, model: iris, endpoints-from: {service: iris-00001, port: http}}
                    traffic: {weights: {iris-00001: 100}}
                """);
        EndpointSlice first = new EndpointSliceBuilder(slice("ml", "iris-00001", ready("10.0.0.1")))
                .editMetadata().withName("iris-00001-a").endMetadata()
                .addNewPort().withName("grpc").withPort(9001).endPort()
                .addNewPort().withName("http").withPort(8001).endPort().build();
        EndpointSlice second = new EndpointSliceBuilder(slice("ml", "iris-00001", ready("10.0.0.1")))
                .editMetadata().withName("iris-00001-b").endMetadata()
                .addNewPort().withName("http").withPort(8002).endPort().build();
        EndpointSlice withoutIt = new EndpointSliceBuilder(slice("ml", "iris-00001", ready("10.0.0.9")))
                .editMetadata().withName("iris-00001-c").endMetadata()
                .addNewPort().withName("metrics").withPort(9090).endPort().build();

        RoutingTables.Resolution resolution = resolve(List.of(named), first, second, withoutIt);

        assertThat(resolution.problems()).isEmpty();
        assertThat(endpoints(only(resolution), "iris-00001"))
                .containsExactly("http://10.0.0.1:8001", "http://10.0.0.1:8002");
    }

    @Test
    void aRevisionMarkedScaleToZeroWithNoReadyPodKeepsItsMarkAndHasNoEndpoint() {
        ConfigMap marked = table("ml", "iris-routes", """
                services:
                  - name: iris
                    revisions:
                      - {name: iris-00001, model: iris, scale-to-zero: true, endpoints-from: {service: iris-00001, port: 8080}}
                    traffic: {weights: {iris-00001: 100}}
                """);

        RoutingTables.Resolution resolution = resolve(List.of(marked));

        assertThat(resolution.problems()).isEmpty();
        assertThat(only(resolution).revision("iris-00001").remote().scaleToZero()).isTrue();
        assertThat(endpoints(only(resolution), "iris-00001")).isEmpty();
    }

    @Test
    void aPortThatIsNeitherANumberNorAPortNameIsAProblem() {
        ConfigMap bad = table("ml", "iris-routes", """
                services:
                  - name: iris
                    revisions:
                      - {name: iris-00001, model: iris, endpoints-from: {service: iris-00001, port: "Not A Name"}}
                    traffic: {weights: {iris-00001: 100}}
                """);

        assertThat(resolve(List.of(bad)).problems().get("ml/iris-routes")).singleElement().asString()
                .contains("port: Not A Name (expected: a port number from 1 to 65535 or a Service port name)");
    }

    @Test
    void onlyReadyAndNotTerminatingEndpointsServe() {
        EndpointSlice slice = slice("ml", "iris-00001", endpoint("10.0.0.1", true, false),
                endpoint("10.0.0.2", false, false), endpoint("10.0.0.3", true, true),
                endpoint("10.0.0.4", null, null), new EndpointBuilder().withAddresses("10.0.0.5").build(),
                endpoint("fd00::6", true, false));

        ServiceSpec iris = only(resolve(List.of(IRIS), slice));

        assertThat(endpoints(iris, "iris-00001"))
                .containsExactlyInAnyOrder("http://10.0.0.1:8080", "http://10.0.0.4:8080", "http://10.0.0.5:8080",
                        "http://[fd00::6]:8080");
    }

    @Test
    void aRevisionWithNoReadyPodKeepsItsPlaceWithNoEndpoint() {
        ServiceSpec iris = only(resolve(List.of(IRIS), slice("ml", "iris-00001", ready("10.0.0.1")),
                slice("ml", "iris-00002", endpoint("10.0.1.1", false, false))));

        assertThat(endpoints(iris, "iris-00002")).isEmpty();
        assertThat(iris.traffic().weights()).containsEntry("iris-00002", 10);
    }

    @Test
    void grpcRevisionsGetGrpcEndpoints() {
        ConfigMap table = table("ml", "resnet-routes", """
                services:
                  - name: resnet
                    revisions:
                      - {name: a, model: resnet, protocol: grpc, endpoints-from: {service: resnet-a, port: 8081}}
                    traffic: {weights: {a: 100}}
                """);

        ServiceSpec resnet = only(resolve(List.of(table), slice("ml", "resnet-a", ready("10.0.0.7"))));

        assertThat(endpoints(resnet, "a")).containsExactly("grpc://10.0.0.7:8081");
        assertThat(resnet.revision("a").remote().protocol()).isEqualTo("grpc");
    }

    @Test
    void severalTablesServeTogetherAndABrokenOneIsSkippedWithItsProblems() {
        ConfigMap fraud = table("risk", "fraud", Map.of("fraud-00001", 100), 9000);
        ConfigMap broken = table("ml", "bad-routes", """
                services:
                  - name: bad
                    revisions:
                      - {name: a, model: bad, endpoints-from: {service: Bad_Name, port: 0, zone: x}}
                    traffic: {weights: {a: 90}}
                """);
        ConfigMap unreadable = table("ml", "worse-routes", "services: [\n");

        RoutingTables.Resolution resolution = resolve(List.of(fraud, broken, IRIS, unreadable),
                slice("risk", "fraud-00001", ready("10.1.0.1")));

        assertThat(resolution.services().services()).extracting(ServiceSpec::name).containsExactly("iris", "fraud");
        assertThat(resolution.problems()).containsOnlyKeys("ml/bad-routes", "ml/worse-routes");
        assertThat(resolution.problems().get("ml/bad-routes")).containsExactlyInAnyOrder(
                "services[0].revisions[0].endpoints-from.zone: x (expected: one of [namespace, port, service])",
                "services[0].revisions[0].endpoints-from.service: Bad_Name (expected: a Service name)",
                "services[0].revisions[0].endpoints-from.port: 0 (expected: a port number from 1 to 65535 or a"
                        + " Service port name)",
                "services[0].traffic.weights: sum 90 (expected: 100)");
        assertThat(resolution.problems().get("ml/worse-routes")).singleElement().asString()
                .startsWith("data.services.yaml: ").endsWith("(expected: valid YAML)");
        assertThat(resolution.used()).containsOnlyKeys("ml/iris-routes", "risk/fraud-routes");
    }

    @Test
    void aTableBrokenByAnEditKeepsServingItsLastGoodVersion() {
        ConfigMap edited = table("ml", "iris-routes", "services: 3\n");
        EndpointSlice pods = slice("ml", "iris-00001", ready("10.0.0.1"), ready("10.0.0.3"));

        RoutingTables.Resolution resolution = RoutingTables.resolve(List.of(edited), List.of(pods), Set.of(),
                Map.of("ml/iris-routes", IRIS));

        assertThat(resolution.problems().get("ml/iris-routes")).containsExactly(
                "data.services.yaml: {services=3} (expected: a mapping with a services: list)");
        assertThat(endpoints(only(resolution), "iris-00001"))
                .containsExactly("http://10.0.0.1:8080", "http://10.0.0.3:8080");
        assertThat(resolution.used()).containsEntry("ml/iris-routes", IRIS);
    }

    @Test
    void aRemovedTableRemovesItsService() {
        ConfigMap fraud = table("risk", "fraud", Map.of("fraud-00001", 100), 9000);

        assertThat(resolve(List.of(IRIS, fraud)).services().services()).hasSize(2);
        assertThat(RoutingTables.resolve(List.of(fraud), List.of(), Set.of(), Map.of("ml/iris-routes", IRIS))
                .services().services()).extracting(ServiceSpec::name).containsExactly("fraud");
    }

    @Test
    void aServiceNameTwoTablesUseIsServedByTheFirstOnly() {
        ConfigMap other = table("team-b", "iris", Map.of("iris-00001", 100), 8080);

        RoutingTables.Resolution resolution = resolve(List.of(other, IRIS));

        assertThat(resolution.services().services()).extracting(ServiceSpec::name).containsExactly("iris");
        assertThat(resolution.used()).containsOnlyKeys("ml/iris-routes");
        assertThat(resolution.problems().get("team-b/iris-routes")).containsExactly("services[0].name: iris"
                + " (expected: a name no other routing table uses; ml/iris-routes has it)");
    }

    @Test
    void endpointsFromAnUnwatchedNamespaceIsAProblem() {
        RoutingTables.Resolution resolution = RoutingTables.resolve(List.of(IRIS), List.of(), Set.of("risk"),
                Map.of());

        assertThat(resolution.problems().get("ml/iris-routes")).contains("services[0].revisions[0]"
                + ".endpoints-from.namespace: ml (expected: a namespace the gateway watches, [risk])");
    }

    @Test
    void aRolloutBlockIsHandedOn() {
        ConfigMap table = table("ml", "iris-routes", """
                services:
                  - name: iris
                    revisions:
                      - {name: a, model: iris, endpoints-from: {service: a, port: 8080}}
                      - {name: b, model: iris, endpoints-from: {service: b, port: 8080}}
                    traffic: {weights: {a: 100, b: 0}}
                    rollout: {baseline: a, candidate: b, steps: [{weight: 50, hold: 1m}]}
                """);

        assertThat(resolve(List.of(table)).services().rollouts().get("iris").candidate()).isEqualTo("b");
    }

    private static RoutingTables.Resolution resolve(List<ConfigMap> tables, EndpointSlice... slices) {
        return RoutingTables.resolve(tables, List.of(slices), Set.of(), Map.of());
    }

    private static ServiceSpec only(RoutingTables.Resolution resolution) {
        assertThat(resolution.services().services()).hasSize(1);
        return resolution.services().services().get(0);
    }

    private static List<String> endpoints(ServiceSpec service, String revision) {
        return service.revision(revision).remote().endpoints().stream().map(URI::toString).toList();
    }
}
