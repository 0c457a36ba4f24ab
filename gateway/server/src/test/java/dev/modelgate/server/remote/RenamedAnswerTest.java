package dev.modelgate.server.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.server.json.AnswerNames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A relayed answer renamed as slices of the received buffer: same bytes as a copy, no leak. */
class RenamedAnswerTest {
    private static final String ANSWER = "{\"model_name\":\"toy\",\"model_version\":\"1\",\"outputs\":"
            + "[{\"name\":\"y\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1.5]}]}";

    /** The answer as the connection hands it: a pooled direct buffer, split like an aggregate. */
    private static ByteBuf received(byte[] bytes) {
        CompositeByteBuf aggregate = PooledByteBufAllocator.DEFAULT.compositeDirectBuffer();
        int half = bytes.length / 2;
        aggregate.addComponent(true, PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(bytes, 0, half));
        aggregate.addComponent(true, PooledByteBufAllocator.DEFAULT.directBuffer()
                .writeBytes(bytes, half, bytes.length - half));
        return aggregate;
    }

    @Test
    void theRenamedAnswerIsTheCopiedRenameAndSharesTheReceivedBytes() {
        byte[] bytes = ANSWER.getBytes(StandardCharsets.UTF_8);
        ByteBuf answer = received(bytes);
        ByteBuf renamed = RenamedAnswer.of(answer, -1, "svc", "v1");
        assertThat(answer.refCnt()).as("slices hold the received buffer").isGreaterThan(1);
        assertThat(new String(ByteBufUtil.getBytes(renamed), StandardCharsets.UTF_8))
                .isEqualTo(new String(AnswerNames.rename(bytes, -1, "svc", "v1").body(),
                        StandardCharsets.UTF_8))
                .startsWith("{\"model_name\":\"svc\",\"model_version\":\"v1\",\"outputs\":");
        answer.release();
        assertThat(answer.refCnt()).as("the renamed answer keeps it").isPositive();
        renamed.release();
        assertThat(answer.refCnt()).isZero();
    }

    @Test
    void aBinaryAnswerKeepsItsTensorsAfterTheRenamedJson() {
        byte[] json = "{\"model_name\":\"toy\",\"outputs\":[{\"name\":\"y\",\"shape\":[1],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":4}}]}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[json.length + 4];
        System.arraycopy(json, 0, body, 0, json.length);
        body[json.length] = 1;
        body[json.length + 3] = 9;
        ByteBuf answer = received(body);
        ByteBuf renamed = RenamedAnswer.of(answer, json.length, "service", "v2");
        assertThat(ByteBufUtil.getBytes(renamed))
                .isEqualTo(AnswerNames.rename(body, json.length, "service", "v2").body());
        answer.release();
        renamed.release();
        assertThat(answer.refCnt()).isZero();
    }

    @Test
    void aMalformedAnswerIsRefusedAndHoldsNoReference() {
        ByteBuf answer = received("[1,2,3]".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> RenamedAnswer.of(answer, -1, "svc", "v1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON object");
        assertThat(answer.refCnt()).isEqualTo(1);
        answer.release();
    }

    @Test
    void anAnswerNotAnOipResponseIsRefusedAndHoldsNoReference() {
        ByteBuf answer = received("{\"model_name\":\"toy\",\"outputs\":7}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> RenamedAnswer.of(answer, -1, "svc", "v1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outputs");
        assertThat(answer.refCnt()).isEqualTo(1);
        answer.release();
    }
}
