package dev.modelgate.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The leak check the relay tests rely on does see a leaked buffer. */
class NettyLeaksTest {
    @Test
    void aBufferNeverReleasedIsReported() {
        NettyLeaks leaks = new NettyLeaks();
        ExtensionContext none = null;
        leaks.beforeAll(none);
        try {
            leak();
            List<String> found = leaks.collectLeaks(Duration.ofSeconds(5));
            assertThat(found).isNotEmpty();
            assertThat(found.get(0)).contains("release() was not called");
        } finally {
            leaks.afterAll(none);
        }
    }

    private static void leak() {
        ByteBuf lost = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        lost.writeLong(42);
    }
}
