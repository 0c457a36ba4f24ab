package dev.modelgate.server.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The relay's rename scan refuses an answer whose top level is not an OIP response (it was relayed
 * with 200), still without decoding the tensors.
 */
class AnswerShapeTest {
    private static String rename(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return new String(AnswerNames.rename(body, -1, "svc", "r1").body(), StandardCharsets.UTF_8);
    }

    @Test
    void outputsThatAreNotAnArrayAreRefused() {
        assertThatThrownBy(() -> rename("{\"model_name\":\"m\",\"model_version\":\"1\",\"outputs\":\"x\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not an OIP answer: outputs is VALUE_STRING (expected: an array)");
        assertThatThrownBy(() -> rename("{\"outputs\":{},\"model_name\":\"m\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outputs");
    }

    @Test
    void otherTopLevelFieldsOfTheWrongTypeAreRefused() {
        assertThatThrownBy(() -> rename("{\"model_name\":[],\"outputs\":[]}"))
                .hasMessageContaining("model_name is START_ARRAY (expected: a string)");
        assertThatThrownBy(() -> rename("{\"model_name\":\"m\",\"id\":7,\"outputs\":[]}"))
                .hasMessageContaining("id is VALUE_NUMBER_INT (expected: a string)");
        assertThatThrownBy(() -> rename("{\"model_name\":\"m\",\"parameters\":\"p\",\"outputs\":[]}"))
                .hasMessageContaining("parameters is VALUE_STRING (expected: an object)");
    }

    @Test
    void theScanStopsAtOutputsOnceTheNamesAreKnown() {
        // Broken JSON inside the tensors is never read: the scan stopped at outputs' '['.
        assertThat(rename("{\"model_name\":\"m\",\"model_version\":\"1\",\"outputs\":[{\"data\":[1,}"))
                .isEqualTo("{\"model_name\":\"svc\",\"model_version\":\"r1\",\"outputs\":[{\"data\":[1,}");
    }

    @Test
    void theShapeIsCheckedAfterTheNamesToo() {
        assertThatThrownBy(() -> rename("{\"model_name\":\"m\",\"model_version\":\"1\",\"id\":\"a\","
                + "\"outputs\":5}")).hasMessageContaining("outputs is VALUE_NUMBER_INT");
    }
}
