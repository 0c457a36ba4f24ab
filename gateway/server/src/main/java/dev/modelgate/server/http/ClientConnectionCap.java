package dev.modelgate.server.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-client-address connection cap of the data plane: one address (a slow-loris, a client
 * with a connection leak) may hold at most {@code max} open connections; one more is closed as
 * soon as it is accepted, before a byte is read, while the address's other connections and every
 * other client are served as before. Counted per IP address (not per port), across the server's
 * event loops, so the count is a concurrent map; an address's entry goes when its last connection
 * closes, so the map holds only addresses with open connections.
 */
final class ClientConnectionCap {
    private static final Logger log = LoggerFactory.getLogger(ClientConnectionCap.class);

    private final int max;
    private final ConcurrentMap<Object, Integer> open = new ConcurrentHashMap<>();

    ClientConnectionCap(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max-connections-per-client: " + max
                    + " (expected: at least 1; leave the cap out for none)");
        }
        this.max = max;
    }

    /** Open connections of {@code address}'s client (tests and diagnostics). */
    int open(SocketAddress address) {
        return open.getOrDefault(key(address), 0);
    }

    /** The handler of one connection, first in its pipeline. */
    ChannelHandler handler() {
        return new ChannelInboundHandlerAdapter() {
            private Object counted;
            private boolean refused;

            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                // An accepted channel is already active when its pipeline is laid out; an
                // embedded one may not be yet, and then channelActive comes later.
                if (ctx.channel().isActive()) {
                    admit(ctx);
                }
            }

            @Override
            public void channelActive(ChannelHandlerContext ctx) throws Exception {
                if (counted == null) {
                    admit(ctx);
                }
                if (!refused) {
                    super.channelActive(ctx);
                }
            }

            private void admit(ChannelHandlerContext ctx) {
                Object client = key(ctx.channel().remoteAddress());
                int now = open.merge(client, 1, Integer::sum);
                counted = client;
                if (now > max) {
                    refused = true;
                    log.debug("Refusing a connection from {}: {} open (max-connections-per-client {})",
                            client, now - 1, max);
                    ctx.close();
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                if (counted != null) {
                    open.computeIfPresent(counted, (client, n) -> n <= 1 ? null : n - 1);
                    counted = null;
                }
                super.channelInactive(ctx);
            }
        };
    }

    private static Object key(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress() : address;
    }
}
