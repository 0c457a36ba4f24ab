package dev.modelgate.server.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * The I/O transport every Netty group of the server uses: the native epoll transport where it
 * loads (Linux x86_64; fewer syscalls and no selector garbage), NIO elsewhere. One choice for the
 * whole process matters beyond speed: a channel can only be registered on an event loop of its
 * own transport, and the relay opens replica connections on the inbound connection's event loop.
 * {@code -Dmodelgate.transport=nio} forces NIO (for comparisons).
 */
public enum NettyTransport {
    EPOLL, NIO;

    private static final NettyTransport CHOSEN = choose();

    /** Epoll when available and not turned off, else NIO. */
    public static NettyTransport get() {
        return CHOSEN;
    }

    private static NettyTransport choose() {
        if ("nio".equalsIgnoreCase(System.getProperty("modelgate.transport"))) {
            return NIO;
        }
        try {
            return Epoll.isAvailable() ? EPOLL : NIO;
        } catch (LinkageError missing) {
            return NIO;
        }
    }

    /** A group of {@code threads} event loops of this transport. */
    public EventLoopGroup group(int threads, ThreadFactory threadFactory) {
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, ioHandler());
    }

    private IoHandlerFactory ioHandler() {
        return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    public Class<? extends ServerSocketChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends SocketChannel> socketChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /**
     * {@code executor} as an event loop a client channel of this transport can be registered on,
     * or {@code null} when it is not one (a plain executor, a loop of another transport).
     */
    public IoEventLoop loopOf(Executor executor) {
        return executor instanceof IoEventLoop loop
                && loop.isIoType(this == EPOLL ? EpollIoHandler.class : NioIoHandler.class)
                ? loop : null;
    }
}
