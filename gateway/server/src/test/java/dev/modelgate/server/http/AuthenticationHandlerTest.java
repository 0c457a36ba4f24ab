package dev.modelgate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.server.auth.Authentication;
import dev.modelgate.server.auth.Secrets;
import dev.modelgate.server.config.AuthConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The key check on request heads, on an {@link EmbeddedChannel}: what goes on, what is dropped. */
class AuthenticationHandlerTest {
    private static final String KEY = "0123456789abcdef-key";
    private static final Authentication ON = Authentication.of(new AuthConfig(
            List.of(new AuthConfig.Client("app-a", Secrets.sha256Hex(KEY))),
            Set.of(AuthConfig.Exempt.HEALTH)));

    private static HttpRequest post(long length, String... headers) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                "/v2/models/m/infer");
        request.headers().set("content-length", length);
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    private static ByteBuf bytes(int n) {
        return Unpooled.wrappedBuffer(new byte[n]);
    }

    @Test
    void aRefusedHeadGoesOnAsABodilessRefusalAndItsBodyIsReleasedUnread() {
        EmbeddedChannel channel = new EmbeddedChannel(new AuthenticationHandler(ON));
        ByteBuf first = bytes(10);
        ByteBuf last = bytes(10);
        channel.writeInbound(post(20, "authorization", "Bearer wrong-key-wrong-key"));
        channel.writeInbound(new DefaultHttpContent(first), new DefaultLastHttpContent(last));

        AuthenticationHandler.Refused refused = channel.readInbound();
        assertThat(refused.content().readableBytes()).isZero();
        assertThat(refused.headers().get("content-length")).isEqualTo("0");
        assertThat(refused.headers().contains("authorization")).isFalse();
        assertThat(refused.headers().contains("connection")).isFalse();
        assertThat(refused.failure().status()).isEqualTo(401);
        assertThat(refused.failure().headers()).containsEntry("www-authenticate", "Bearer realm=\"modelgate\"");
        assertThat(refused.failure().getMessage()).startsWith("authorization: a key no client has");
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(first.refCnt()).isZero();
        assertThat(last.refCnt()).isZero();

        // the next request on the connection is judged on its own
        channel.writeInbound(post(3, "x-api-key", KEY), new DefaultLastHttpContent(bytes(3)));
        HttpRequest accepted = channel.readInbound();
        assertThat(accepted).isNotInstanceOf(AuthenticationHandler.Refused.class);
        HttpContent body = channel.readInbound();
        assertThat(body.content().readableBytes()).isEqualTo(3);
        body.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void aLargeOrChunkedRefusedBodyIsNotReadTheAnswerClosesTheConnection() {
        EmbeddedChannel channel = new EmbeddedChannel(new AuthenticationHandler(ON));
        channel.writeInbound(post(50_000_000));
        FullHttpRequest refused = channel.readInbound();
        assertThat(refused.headers().get("connection")).isEqualTo("close");
        assertThat(refused.headers().contains("content-length", "0", false)).isTrue();

        HttpRequest chunked = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v2/models/m/infer");
        chunked.headers().set("transfer-encoding", "chunked");
        channel.writeInbound(chunked);
        FullHttpRequest second = channel.readInbound();
        assertThat(second.headers().get("connection")).isEqualTo("close");
        assertThat(second.headers().contains("transfer-encoding")).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void anAcceptedRequestCarriesTheClientNameInPlaceOfItsKey() {
        EmbeddedChannel channel = new EmbeddedChannel(new AuthenticationHandler(ON));
        channel.writeInbound(post(0, "authorization", "Bearer " + KEY, "x-modelgate-client", "admin"));
        HttpRequest request = channel.readInbound();
        assertThat(request.headers().getAll("x-modelgate-client")).containsExactly("app-a");
        assertThat(request.headers().contains("authorization")).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void withAuthenticationOffAClientCannotClaimAName() {
        EmbeddedChannel channel = new EmbeddedChannel(new AuthenticationHandler(Authentication.off()));
        channel.writeInbound(post(0, "x-modelgate-client", "app-a", "authorization", "Bearer x"));
        HttpRequest request = channel.readInbound();
        assertThat(request).isNotInstanceOf(AuthenticationHandler.Refused.class);
        assertThat(request.headers().contains("x-modelgate-client")).isFalse();
        assertThat(request.headers().get("authorization")).isEqualTo("Bearer x");
        channel.finishAndReleaseAll();
    }

    @Test
    void anExemptHealthCheckPassesWithoutAKey() {
        EmbeddedChannel channel = new EmbeddedChannel(new AuthenticationHandler(ON));
        channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/v2/health/ready"));
        HttpRequest request = channel.readInbound();
        assertThat(request).isNotInstanceOf(AuthenticationHandler.Refused.class);
        channel.finishAndReleaseAll();
    }
}
