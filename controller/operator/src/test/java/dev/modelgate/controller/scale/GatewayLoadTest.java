package dev.modelgate.controller.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.modelgate.controller.scale.GatewayLoad.Load;
import dev.modelgate.controller.scale.GatewayLoad.Row;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GatewayLoadTest {

    private static final RevisionKey V1 = new RevisionKey("iris", "iris-00001");
    private static final RevisionKey V2 = new RevisionKey("iris", "iris-00002");

    @Test
    void eachRevisionsLoadIsTheSumOverTheGatewayPodsThatAnswered() {
        GatewayLoad load = GatewayLoad.sum(List.of(
                Optional.of(List.of(new Row(V1, new Load(2.5, 40, 3)), new Row(V2, new Load(0.5, 4, 1)))),
                Optional.of(List.of(new Row(V1, new Load(1.5, 20, 2)))),
                Optional.empty()));

        assertThat(load.asked()).isEqualTo(3);
        assertThat(load.answered()).isEqualTo(2);
        assertThat(load.anyAnswered()).isTrue();
        assertThat(load.of(V1).concurrency()).isCloseTo(4.0, within(1e-9));
        assertThat(load.of(V1).rps()).isCloseTo(60.0, within(1e-9));
        assertThat(load.of(V1).inFlight()).isEqualTo(5);
        assertThat(load.of(V2)).isEqualTo(new Load(0.5, 4, 1));
        assertThat(load.of(new RevisionKey("iris", "iris-00003"))).as("no gateway routed to it: no load")
                .isEqualTo(new Load(0, 0, 0));
    }

    @Test
    void aSecondInWhichNoPodAnsweredIsMarkedBlind() {
        GatewayLoad load = GatewayLoad.sum(List.of(Optional.empty(), Optional.empty()));

        assertThat(load.anyAnswered()).isFalse();
        assertThat(GatewayLoad.sum(List.of()).anyAnswered()).as("no gateway pod at all").isFalse();
    }

    @Test
    void readsTheGatewaysCompactStatsShape() {
        Map<String, Object> body = Map.of("at", 1_700_000_000_000L, "revisions", List.of(
                List.of("iris", "iris-00001", 2.25, 41.0, 3),
                List.of("iris", "iris-00002", 0, 0, 0)));

        assertThat(GatewayLoad.parse(body)).containsExactly(new Row(V1, new Load(2.25, 41, 3)),
                new Row(V2, new Load(0, 0, 0)));
    }

    @Test
    void refusesAnotherShapeNamingTheRow() {
        assertThatThrownBy(() -> GatewayLoad.parse(Map.of("revisions", List.of(List.of("iris", 7)))))
                .hasMessage("revisions row: [iris, 7] (expected: [service, revision, concurrency, rps, in-flight])");
        assertThatThrownBy(() -> GatewayLoad.parse(Map.of("at", 1)))
                .hasMessage("revisions: null (expected: an array of rows)");
    }
}
