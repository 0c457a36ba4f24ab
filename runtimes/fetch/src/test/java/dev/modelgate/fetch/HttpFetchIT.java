package dev.modelgate.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code http://} and {@code https://} against the JDK's own server on 127.0.0.1. */
class HttpFetchIT {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private HttpServer server;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = files.get(exchange.getRequestURI().getPath());
            if (exchange.getRequestURI().getPath().equals("/moved/model.onnx")) {
                exchange.getResponseHeaders().add("Location", "/files/model.onnx");
                exchange.sendResponseHeaders(302, -1);
            } else if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private Path fetch(ModelFetcher fetcher, String uri, String sha256) {
        return fetcher.fetch(FetchRequest.of(uri, dir.resolve("models/iris/1").toString(), sha256));
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    @Test
    void downloadsAFileFollowingRedirects() throws Exception {
        files.put("/files/model.onnx", "onnx".getBytes(StandardCharsets.UTF_8));
        Path dest = fetch(ModelFetcher.create(Map.of()), url("/moved/model.onnx"), null);
        assertThat(dest.resolve("model.onnx")).hasContent("onnx");
    }

    @Test
    void unpacksADownloadedArchive() throws Exception {
        files.put("/iris.tar.gz", new TarBuilder().file("model.onnx", "tgz").file("labels.txt", "a\nb").gzipped());
        Path dest = fetch(ModelFetcher.create(Map.of()), url("/iris.tar.gz"), null);
        assertThat(dest.resolve("model.onnx")).hasContent("tgz");
        assertThat(dest.resolve("labels.txt")).hasContent("a\nb");
        assertThat(dest.resolve("iris.tar.gz")).doesNotExist();
    }

    @Test
    void checksAChecksumFromTheFlagOrTheFragment() throws Exception {
        byte[] content = "weights".getBytes(StandardCharsets.UTF_8);
        files.put("/m/model.onnx", content);
        String good = sha256(content);
        ModelFetcher fetcher = ModelFetcher.create(Map.of());
        assertThat(fetch(fetcher, url("/m/model.onnx#sha256=" + good), null).resolve("model.onnx"))
                .hasContent("weights");
        assertThat(fetch(fetcher, url("/m/model.onnx"), good.toUpperCase()).resolve("model.onnx"))
                .hasContent("weights");

        Path dest = dir.resolve("models/iris/1");
        DefaultModelFetcher.deleteQuietly(dest);
        String bad = sha256("other".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> fetch(fetcher, url("/m/model.onnx#sha256=" + bad), null))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.exitCode()).isEqualTo(3))
                .hasMessageContaining("sha256: " + good + " (expected: " + bad);
        assertThat(dest).doesNotExist();
        assertThat(dir.resolve("models/iris")).isEmptyDirectory();
    }

    @Test
    void aMissingFileIsAFailureWithTheStatus() {
        assertThatThrownBy(() -> fetch(ModelFetcher.create(Map.of()), url("/nope.onnx?token=s3cr3t"), null))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
                .hasMessage("uri: " + url("/nope.onnx") + "?… (expected: HTTP 200, got 404)");
        assertThat(dir.resolve("models/iris")).isEmptyDirectory();
    }

    @Test
    void downloadsOverHttpsWithAGeneratedCertificate() throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "1",
                "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keys.getKeyManagers(), null, null);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);

        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        byte[] content = "tls-weights".getBytes(StandardCharsets.UTF_8);
        https.createContext("/model.onnx", exchange -> {
            exchange.sendResponseHeaders(200, content.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(content);
            }
        });
        https.start();
        try {
            String uri = "https://127.0.0.1:" + https.getAddress().getPort() + "/model.onnx";
            ModelFetcher trusting = ModelFetcher.create(Map.of(), HttpClient.newBuilder().sslContext(clientTls).build());
            assertThat(fetch(trusting, uri, sha256(content)).resolve("model.onnx")).hasContent("tls-weights");
            assertThatThrownBy(() -> fetch(ModelFetcher.create(Map.of()), uri, null))
                    .as("an untrusted certificate fails").isInstanceOfSatisfying(FetchException.class,
                            e -> assertThat(e.exitCode()).isEqualTo(1));
        } finally {
            https.stop(0);
        }
    }
}
