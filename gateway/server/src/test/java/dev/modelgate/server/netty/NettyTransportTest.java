package dev.modelgate.server.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NettyTransportTest {
    @Test
    void aRelayMayUseOnlyLoopsOfTheProcessTransport() {
        NettyTransport transport = NettyTransport.get();
        EventLoopGroup own = transport.group(1, new DefaultThreadFactory("test-own", true));
        EventLoopGroup other = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("test-other", true), LocalIoHandler.newFactory());
        try {
            Executor loop = own.next();
            assertThat(transport.loopOf(loop)).isSameAs(loop);
            assertThat(transport.loopOf(other.next())).isNull();
            assertThat(transport.loopOf(Runnable::run)).isNull();
        } finally {
            own.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            other.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void epollOnLinuxX86WhereItLoads() {
        boolean linuxX86 = System.getProperty("os.name").toLowerCase().contains("linux")
                && System.getProperty("os.arch").matches("amd64|x86_64")
                && System.getProperty("modelgate.transport") == null;
        if (linuxX86 && io.netty.channel.epoll.Epoll.isAvailable()) {
            assertThat(NettyTransport.get()).isEqualTo(NettyTransport.EPOLL);
        } else {
            assertThat(NettyTransport.get()).isEqualTo(NettyTransport.NIO);
        }
    }
}
