package dev.modelgate.fetch;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where and as whom {@code s3://} reads, from the variables the AWS CLI reads too, so the Secret
 * named by {@code serving.modelgate.dev/storage-secret} is the same one a MinIO or AWS user
 * already has. An endpoint implies path-style addressing (MinIO, Ceph, s3proxy); no key pair
 * means anonymous reads of a public bucket.
 *
 * @param endpoint {@code AWS_ENDPOINT_URL_S3}, else {@code AWS_ENDPOINT_URL}
 * @param region {@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}, else {@code us-east-1}
 * @param credentials {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}
 */
record S3Settings(Optional<URI> endpoint, String region, Optional<Credentials> credentials) {
    record Credentials(String accessKeyId, String secretAccessKey, Optional<String> sessionToken) {
        @Override
        public String toString() {
            return "Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=****]";
        }
    }

    static final String DEFAULT_REGION = "us-east-1";

    /** Reads and validates the environment, reporting every problem at once. */
    static S3Settings from(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        Optional<URI> endpoint = Optional.empty();
        String endpointName = present(env, "AWS_ENDPOINT_URL_S3") ? "AWS_ENDPOINT_URL_S3" : "AWS_ENDPOINT_URL";
        if (present(env, endpointName)) {
            String value = env.get(endpointName).strip();
            try {
                URI uri = new URI(value);
                if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                        || uri.getHost() == null) {
                    problems.add(endpointName + ": " + value + " (expected: an http:// or https:// URL)");
                } else {
                    endpoint = Optional.of(uri);
                }
            } catch (URISyntaxException e) {
                problems.add(endpointName + ": " + value + " (expected: an http:// or https:// URL)");
            }
        }
        String region = present(env, "AWS_REGION") ? env.get("AWS_REGION").strip()
                : present(env, "AWS_DEFAULT_REGION") ? env.get("AWS_DEFAULT_REGION").strip() : DEFAULT_REGION;
        if (!region.matches("[a-z0-9-]+")) {
            problems.add("AWS_REGION: " + region + " (expected: a region name such as us-east-1)");
        }
        boolean id = present(env, "AWS_ACCESS_KEY_ID");
        boolean secret = present(env, "AWS_SECRET_ACCESS_KEY");
        Optional<Credentials> credentials = Optional.empty();
        if (id != secret) {
            problems.add((id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID")
                    + ": null (expected: set together with " + (id ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY")
                    + ", or neither for anonymous reads)");
        } else if (id) {
            credentials = Optional.of(new Credentials(env.get("AWS_ACCESS_KEY_ID").strip(),
                    env.get("AWS_SECRET_ACCESS_KEY").strip(),
                    Optional.ofNullable(env.get("AWS_SESSION_TOKEN")).filter(t -> !t.isBlank())));
        }
        if (!problems.isEmpty()) {
            throw FetchException.invalid(String.join("; ", problems));
        }
        return new S3Settings(endpoint, region, credentials);
    }

    private static boolean present(Map<String, String> env, String name) {
        return env.get(name) != null && !env.get(name).isBlank();
    }
}
