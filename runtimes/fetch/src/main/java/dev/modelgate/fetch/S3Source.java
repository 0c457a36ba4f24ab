package dev.modelgate.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code s3://bucket/prefix}: every object under the prefix, as a directory tree, or the one
 * object the prefix names exactly (kept or unpacked like a downloaded file). The prefix is a
 * directory: {@code s3://b/iris/2} reads {@code iris/2/...} and never {@code iris/20/...}.
 * The client is the SDK's blocking URL-connection one (no Netty, no CRT beside the gateway's),
 * and checksums are only those the store requires, since MinIO-compatible stores differ on the
 * newer flexible checksums.
 */
final class S3Source implements Source {
    private final S3Settings settings;

    S3Source(S3Settings settings) {
        this.settings = settings;
    }

    @Override
    public void copyInto(FetchRequest request, Path staging) throws IOException {
        String bucket = request.uri().getHost();
        String prefix = request.uri().getPath() == null ? "" : request.uri().getPath().replaceFirst("^/+", "");
        try (S3Client s3 = client()) {
            List<S3Object> objects = new ArrayList<>();
            s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())
                    .contents().forEach(objects::add);
            String dir = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
            List<S3Object> tree = objects.stream().filter(o -> o.key().startsWith(dir)).toList();
            S3Object exact = objects.stream().filter(o -> o.key().equals(prefix) && !prefix.isEmpty())
                    .findFirst().orElse(null);
            if (tree.isEmpty() && exact != null) {
                String name = Source.fileName(prefix, request.display());
                Path download = Files.createTempFile(staging.getParent(), "." + staging.getFileName() + "-", ".part");
                Files.delete(download);
                try (InputStream in = s3.getObject(get(bucket, exact.key()))) {
                    Source.download(in, download, request.sha256(), request.display());
                    Archives.place(download, name, staging);
                } finally {
                    Files.deleteIfExists(download);
                }
                return;
            }
            if (tree.isEmpty()) {
                throw FetchException.failed("uri: " + request.display()
                        + " (expected: at least one object under the prefix)", null);
            }
            for (S3Object object : tree) {
                String name = object.key().substring(dir.length());
                if (name.isEmpty() || name.endsWith("/")) {
                    continue;
                }
                Path target = SafePaths.resolve(staging, "key", name);
                try (InputStream in = s3.getObject(get(bucket, object.key()))) {
                    Archives.write(staging, name, target, in);
                }
            }
        } catch (SdkException e) {
            throw FetchException.failed("uri: " + request.display() + " (expected: a readable bucket and prefix"
                    + settings.endpoint().map(u -> " at " + u).orElse("") + ")", e);
        }
    }

    private static GetObjectRequest get(String bucket, String key) {
        return GetObjectRequest.builder().bucket(bucket).key(key).build();
    }

    private S3Client client() {
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        settings.endpoint().ifPresent(endpoint -> builder.endpointOverride(endpoint).forcePathStyle(true));
        return builder.build();
    }

    private AwsCredentialsProvider credentials() {
        return settings.credentials().<AwsCredentialsProvider>map(c -> StaticCredentialsProvider.create(
                        c.sessionToken().<AwsCredentials>map(
                                token -> AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), token))
                                .orElseGet(() -> AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey()))))
                .orElseGet(AnonymousCredentialsProvider::create);
    }
}
