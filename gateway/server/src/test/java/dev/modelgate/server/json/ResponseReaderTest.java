package dev.modelgate.server.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import java.nio.charset.Charset;
import org.junit.jupiter.api.Test;

class ResponseReaderTest {
    @Test
    void refusesAReplicaAnswerThatJacksonTakesForUtf32() {
        // found by ReplicaAnswerFuzzTest#httpAnswer: an UncheckedIOException escaped the codec task
        byte[] utf32 = "{\"model_name\":\"m\",\"outputs\":[]}".getBytes(Charset.forName("UTF-32BE"));
        utf32[8] = 0x6e; // a character above U+10FFFF
        assertThatThrownBy(() -> OipJson.readInferenceResponse(utf32, -1))
                .isInstanceOfSatisfying(InferenceException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining("JSON in UTF-8");
    }
}
