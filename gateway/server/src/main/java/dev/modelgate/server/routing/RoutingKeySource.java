package dev.modelgate.server.routing;

/**
 * Where the sticky routing key comes from: a header or a cookie (a user or session id). When the
 * request carries neither, the request id is the key, and failing that a random one.
 */
public record RoutingKeySource(String header, String cookie) {
    public static final RoutingKeySource NONE = new RoutingKeySource(null, null);

    public static RoutingKeySource header(String name) {
        return new RoutingKeySource(name, null);
    }

    public static RoutingKeySource cookie(String name) {
        return new RoutingKeySource(null, name);
    }
}
