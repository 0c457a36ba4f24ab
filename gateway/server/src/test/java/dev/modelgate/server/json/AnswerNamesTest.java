package dev.modelgate.server.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AnswerNamesTest {
    private static String rename(String json, String name, String version) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return new String(AnswerNames.rename(body, -1, name, version).body(), StandardCharsets.UTF_8);
    }

    @Test
    void replacesBothNamesAndKeepsEveryOtherByte() {
        assertThat(rename("{ \"model_name\" : \"toy\", \"model_version\":\"1\",\"outputs\":[{\"data\":[1.50, 2e3]}]}",
                "iris", "v2"))
                .isEqualTo("{ \"model_name\" : \"iris\", \"model_version\":\"v2\",\"outputs\":[{\"data\":[1.50, 2e3]}]}");
    }

    @Test
    void findsNamesAfterOtherFieldsAndNonStringValues() {
        assertThat(rename("{\"id\":\"a\",\"parameters\":{\"model_name\":\"x\"},\"model_version\":7,"
                + "\"model_name\":\"toy\",\"outputs\":[]}", "iris", "v\"2"))
                .isEqualTo("{\"id\":\"a\",\"parameters\":{\"model_name\":\"x\"},\"model_version\":\"v\\\"2\","
                        + "\"model_name\":\"iris\",\"outputs\":[]}");
    }

    @Test
    void insertsMissingNames() {
        assertThat(rename("{\"outputs\":[]}", "iris", "v2"))
                .isEqualTo("{\"model_name\":\"iris\",\"model_version\":\"v2\",\"outputs\":[]}");
        assertThat(rename("{}", "iris", "v2")).isEqualTo("{\"model_name\":\"iris\",\"model_version\":\"v2\"}");
        assertThat(rename("{\"model_name\":\"toy\",\"outputs\":[]}", "iris", null))
                .isEqualTo("{\"model_name\":\"iris\",\"outputs\":[]}");
    }

    @Test
    void adjustsTheJsonLengthOfABinaryAnswerAndKeepsItsTensors() {
        byte[] json = "{\"model_name\":\"toy\",\"model_version\":\"1\",\"outputs\":[]}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[json.length + 4];
        System.arraycopy(json, 0, body, 0, json.length);
        body[json.length] = 1;
        body[json.length + 3] = (byte) 0xff;
        AnswerNames.Renamed renamed = AnswerNames.rename(body, json.length, "iris-service", "v2");
        assertThat(renamed.jsonLength()).isEqualTo(json.length + "iris-service".length() - 3 + 1);
        assertThat(new String(renamed.body(), 0, renamed.jsonLength(), StandardCharsets.UTF_8))
                .isEqualTo("{\"model_name\":\"iris-service\",\"model_version\":\"v2\",\"outputs\":[]}");
        assertThat(renamed.body()).endsWith(1, 0, 0, (byte) 0xff);
    }

    @Test
    void refusesWhatIsNotAJsonObject() {
        assertThatThrownBy(() -> rename("<html>surprise</html>", "a", "b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rename("[1]", "a", "b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesAnAnswerInUtf16InsteadOfFailingOnItsOffsets() {
        // found by ReplicaAnswerFuzzTest: Jackson reads UTF-16 as chars, with no byte offsets
        byte[] utf16 = "{\"model_name\":\"m\",\"outputs\":[]}".getBytes(StandardCharsets.UTF_16LE);
        assertThatThrownBy(() -> AnswerNames.rename(utf16, -1, "a", "b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UTF-8");
    }
}
