package dev.modelgate.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code http://} and {@code https://}: one file over {@link HttpClient}, checked against its
 * SHA-256 when one is given, then kept or unpacked. Redirects are followed except from https to
 * http. The client is injected so tests can trust their own certificate.
 */
final class HttpSource implements Source {
    private final HttpClient client;
    private final Duration timeout;

    HttpSource(HttpClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    @Override
    public void copyInto(FetchRequest request, Path staging) throws IOException {
        String name = Source.fileName(request.uri().getPath(), request.display());
        HttpRequest get = HttpRequest.newBuilder(request.uri()).timeout(timeout).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(get, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw FetchException.failed("uri: " + request.display() + " (expected: a download; interrupted)", e);
        }
        Path download = Files.createTempFile(staging.getParent(), "." + staging.getFileName() + "-", ".part");
        Files.delete(download);
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw FetchException.failed("uri: " + request.display() + " (expected: HTTP 200, got "
                        + response.statusCode() + ")", null);
            }
            Source.download(body, download, request.sha256(), request.display());
            Archives.place(download, name, staging);
        } finally {
            Files.deleteIfExists(download);
        }
    }
}
