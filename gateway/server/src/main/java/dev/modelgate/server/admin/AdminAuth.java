package dev.modelgate.server.admin;

import dev.modelgate.server.auth.Secrets;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;

/**
 * The admin token check for everything on the admin port that shows or changes the gateway: the
 * {@code /admin} API, the dashboard with its snapshot and event stream (they show services,
 * revisions and traffic), and {@code /metrics} when so configured. Scripts send
 * {@code Authorization: Bearer <token>}; a browser cannot add a header to a page load or an
 * {@code EventSource}, so the dashboard also takes the token from an HttpOnly, same-site cookie,
 * which {@code /dashboard?token=<token>} sets once (then redirects to drop the token from the
 * address bar). Tokens are compared in constant time.
 */
final class AdminAuth implements Handler<RoutingContext> {
    static final String COOKIE = "modelgate-admin-token";

    private final byte[] token;
    private final byte[] bearer;

    AdminAuth(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.bearer = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        Cookie cookie = ctx.request().getCookie(COOKIE);
        if (header != null && matches(bearer, header) || cookie != null && matches(token, cookie.getValue())) {
            ctx.next();
            return;
        }
        String query = ctx.request().getParam("token");
        if (query != null && matches(token, query) && ctx.normalizedPath().startsWith("/dashboard")) {
            ctx.response().addCookie(Cookie.cookie(COOKIE, query).setPath("/").setHttpOnly(true)
                    .setSameSite(CookieSameSite.STRICT))
                    .putHeader("Location", ctx.normalizedPath()).setStatusCode(303).end();
            return;
        }
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        AdminServer.error(ctx, 401, "authorization: " + (header == null && cookie == null
                ? "missing" : "wrong token") + " (expected: Authorization: Bearer <admin token>, or"
                + " the " + COOKIE + " cookie that /dashboard?token=<admin token> sets)");
    }

    private static boolean matches(byte[] expected, String given) {
        return Secrets.equal(expected, given);
    }
}
