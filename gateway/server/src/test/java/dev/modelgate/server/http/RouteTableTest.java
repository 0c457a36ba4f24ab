package dev.modelgate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private final RouteTable<String> table = RouteTable.<String>builder()
            .get("/v2", "server")
            .get("/v2/models/{model}", "metadata")
            .get("/v2/models/{model}/versions/{version}", "metadata")
            .get("/v2/models/{model}/ready", "ready")
            .post("/v2/models/{model}/infer", "infer")
            .post("/v2/models/{model}/versions/{version}/infer", "infer")
            .build();

    @Test
    void matchesLiteralAndCapturedSegments() {
        assertThat(table.match("GET", "/v2")).isEqualTo(new RouteTable.Found<>("server", Map.of()));
        assertThat(table.match("GET", "/v2/models/iris"))
                .isEqualTo(new RouteTable.Found<>("metadata", Map.of("model", "iris")));
        assertThat(table.match("POST", "/v2/models/iris/versions/2/infer?debug=1"))
                .isEqualTo(new RouteTable.Found<>("infer", Map.of("model", "iris", "version", "2")));
        assertThat(table.match("GET", "/v2/models/ready"))
                .isEqualTo(new RouteTable.Found<>("metadata", Map.of("model", "ready")));
    }

    @Test
    void decodesCapturedSegments() {
        assertThat(table.match("GET", "/v2/models/my%20model%2Bx/ready"))
                .isEqualTo(new RouteTable.Found<>("ready", Map.of("model", "my model+x")));
        assertThat(table.match("GET", "/v2/models/a+b"))
                .isEqualTo(new RouteTable.Found<>("metadata", Map.of("model", "a+b")));
        assertThat(table.match("GET", "/v2/models/%zz")).isInstanceOf(RouteTable.NotFound.class);
    }

    @Test
    void tellsMissingPathsFromWrongMethods() {
        assertThat(table.match("GET", "/v2/nothing")).isInstanceOf(RouteTable.NotFound.class);
        assertThat(table.match("GET", "/v2/models//ready")).isInstanceOf(RouteTable.NotFound.class);
        assertThat(table.match("GET", "/v2/models/iris/infer"))
                .isEqualTo(new RouteTable.WrongMethod<>(Set.of("POST")));
        assertThat(table.match("PUT", "/v2/models/iris"))
                .isEqualTo(new RouteTable.WrongMethod<>(Set.of("GET")));
    }

    @Test
    void aCaptureMayEndInALiteralSuffix() {
        RouteTable<String> v1 = RouteTable.<String>builder()
                .post("/v1/models/{model}:predict", "predict")
                .post("/v1/models/{model}:explain", "explain")
                .build();
        assertThat(v1.match("POST", "/v1/models/iris:predict"))
                .isEqualTo(new RouteTable.Found<>("predict", Map.of("model", "iris")));
        assertThat(v1.match("POST", "/v1/models/my%3Amodel:explain"))
                .isEqualTo(new RouteTable.Found<>("explain", Map.of("model", "my:model")));
        assertThat(v1.match("POST", "/v1/models/:predict")).isInstanceOf(RouteTable.NotFound.class);
        assertThat(v1.match("POST", "/v1/models/iris:other")).isInstanceOf(RouteTable.NotFound.class);
        assertThat(v1.match("GET", "/v1/models/iris:predict"))
                .isEqualTo(new RouteTable.WrongMethod<>(Set.of("POST")));
    }

    @Test
    void aLiteralAfterTheCapturesDecidesBetweenTemplatesOfOneLength() {
        assertThat(table.match("POST", "/v2/models/%zz/versions/2/infer"))
                .isInstanceOf(RouteTable.NotFound.class);
        assertThat(table.match("POST", "/v2/models/iris/versions/2/other"))
                .isInstanceOf(RouteTable.NotFound.class);
        assertThat(table.match("GET", "/v2/models/iris/versions/2/infer"))
                .isEqualTo(new RouteTable.WrongMethod<>(Set.of("POST")));
    }
}
