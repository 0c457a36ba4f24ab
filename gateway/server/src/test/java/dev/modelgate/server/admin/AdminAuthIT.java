package dev.modelgate.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.server.shadow.Disagreement;
import dev.modelgate.server.routing.TrafficPolicy;
import dev.modelgate.server.traffic.RevisionSpec;
import dev.modelgate.server.traffic.ServiceControl;
import dev.modelgate.server.traffic.ServiceStatus;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With an admin token the dashboard, its snapshot and its event stream need it like {@code /admin}
 * (a bearer header, or the cookie {@code /dashboard?token=} sets); {@code /metrics} stays open
 * unless {@code metrics-need-token}.
 */
class AdminAuthIT {
    private static final String TOKEN = "s3cret-token";
    private static final List<String> GUARDED = List.of("/dashboard", "/dashboard/snapshot",
            "/dashboard/events", "/dashboard/app.js", "/admin/services");

    private AdminServer admin;
    private final HttpClient plain = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (admin != null) {
            admin.close();
        }
    }

    private void start(boolean metricsNeedToken) {
        admin = AdminServer.start("127.0.0.1", 0, TOKEN, metricsNeedToken, new NoServices(), router -> {
            router.get("/metrics").handler(ctx -> ctx.response().end("# metrics"));
            router.get("/dashboard*").handler(ctx -> ctx.response().end("dashboard data"));
        });
    }

    private HttpResponse<String> get(HttpClient client, String path, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + admin.port() + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theDashboardAndItsDataNeedTheTokenAndMetricsStayOpen() throws Exception {
        start(false);
        for (String path : GUARDED) {
            HttpResponse<String> refused = get(plain, path);
            assertThat(refused.statusCode()).as(path).isEqualTo(401);
            assertThat(refused.body()).as(path).contains("authorization: missing").doesNotContain("dashboard data");
            assertThat(refused.headers().firstValue("www-authenticate")).hasValue("Bearer");
            assertThat(get(plain, path, "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
            assertThat(get(plain, path, "Cookie", AdminAuth.COOKIE + "=wrong").statusCode()).isEqualTo(401);
            assertThat(get(plain, path, "Authorization", "Bearer " + TOKEN).statusCode()).as(path)
                    .isNotEqualTo(401);
            assertThat(get(plain, path, "Cookie", AdminAuth.COOKIE + "=" + TOKEN).statusCode()).as(path)
                    .isNotEqualTo(401);
        }
        assertThat(get(plain, "/metrics").statusCode()).isEqualTo(200);
    }

    @Test
    void aBrowserOpensTheDashboardOnceWithTheTokenAndThenHoldsItInACookie() throws Exception {
        start(false);
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        assertThat(get(browser, "/dashboard?token=wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> page = get(browser, "/dashboard?token=" + TOKEN);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.uri().getQuery()).isNull(); // the token left the address bar
        assertThat(get(browser, "/dashboard/snapshot").body()).isEqualTo("dashboard data");
        assertThat(get(plain, "/dashboard/snapshot").statusCode()).isEqualTo(401);
    }

    @Test
    void metricsNeedTheTokenWhenConfiguredSo() throws Exception {
        start(true);
        assertThat(get(plain, "/metrics").statusCode()).isEqualTo(401);
        assertThat(get(plain, "/metrics", "Authorization", "Bearer " + TOKEN).body()).isEqualTo("# metrics");
    }

    /** The admin routes need a control; these tests never reach it. */
    private static final class NoServices implements ServiceControl {
        @Override
        public List<ServiceStatus> services() {
            return List.of();
        }

        @Override
        public ServiceStatus service(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ServiceStatus setTraffic(String service, TrafficPolicy traffic) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ServiceStatus addRevision(String service, RevisionSpec revision) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ServiceStatus removeRevision(String service, String revision) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ServiceStatus promote(String service, String revision) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ServiceStatus rollback(String service) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Disagreement> disagreements(String service) {
            throw new UnsupportedOperationException();
        }
    }
}
