package dev.modelgate.fetch;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Fetches a model into a directory, as the init container of a runtime pod does before
 * {@code modelgate runtime} starts: {@code file://}, {@code http(s)://} (optionally checked
 * against a SHA-256) and {@code s3://}, with {@code .tar.gz}, {@code .tgz} and {@code .zip}
 * unpacked. The destination appears complete or not at all.
 */
public interface ModelFetcher {
    /**
     * Fetches {@code request.uri()} into {@code request.dest()}, replacing what was there.
     *
     * @return the destination
     * @throws FetchException on any failure; nothing is left beside or inside the destination
     */
    Path fetch(FetchRequest request);

    /**
     * A fetcher whose {@code s3://} settings come from {@code env} (the {@code AWS_*} variables,
     * see {@code docs/controller.md}) and whose downloads use a default {@link HttpClient}.
     */
    static ModelFetcher create(Map<String, String> env) {
        return create(env, HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30))
                .build());
    }

    /** As {@link #create(Map)}, downloading {@code http(s)://} with {@code http}. */
    static ModelFetcher create(Map<String, String> env, HttpClient http) {
        return new DefaultModelFetcher(Map.copyOf(env), http, Duration.ofMinutes(30));
    }
}
