package dev.modelgate.fetch;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One validated fetch: where from, where to, and the expected SHA-256 if any. Every problem with
 * the three inputs is reported at once, as the controller's spec validation does, so a broken
 * ModelDeployment is fixed in one edit, not one crash-looping init container per mistake.
 *
 * @param uri the source without its {@code #sha256=} fragment
 * @param dest the directory that will hold the model (absolute, normalised)
 * @param sha256 the expected digest of the one file the URI names, lower-case hex
 */
public record FetchRequest(URI uri, Path dest, Optional<String> sha256) {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final String SCHEMES = "file://, http://, https:// or s3://";

    public FetchRequest {
        if (uri == null || dest == null || sha256 == null) {
            throw new NullPointerException("uri, dest and sha256 are required");
        }
        if (uri.getScheme() == null || !dest.isAbsolute() || dest.getParent() == null) {
            throw FetchException.invalid("uri: " + uri + ", dest: " + dest
                    + " (expected: an absolute URI and an absolute directory below the root; use FetchRequest.of)");
        }
    }

    /**
     * Parses the command's arguments.
     *
     * @param sha256 the {@code --sha256} flag, or {@code null}
     * @throws FetchException of kind {@code INVALID} listing every problem
     */
    public static FetchRequest of(String uri, String dest, String sha256) {
        List<String> problems = new ArrayList<>();
        URI parsed = parseUri(uri, problems);
        Optional<String> digest = digest(parsed, uri, sha256, problems);
        Path destination = parseDest(dest, problems);
        if (!problems.isEmpty()) {
            throw FetchException.invalid(String.join("; ", problems));
        }
        URI plain = withoutFragment(parsed);
        return new FetchRequest(plain, destination, digest);
    }

    /** The URI's scheme, lower case. */
    public String scheme() {
        return uri.getScheme().toLowerCase(Locale.ROOT);
    }

    /** The URI as it may appear in logs: no user info, no query (pre-signed URLs carry secrets there). */
    public String display() {
        return redact(uri);
    }

    static String redact(URI uri) {
        String host = uri.getRawAuthority() == null ? "" : uri.getHost() == null
                ? uri.getRawAuthority().replaceFirst("^.*@", "")
                : uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return uri.getScheme() + "://" + host + path + (uri.getRawQuery() == null ? "" : "?…");
    }

    private static URI parseUri(String uri, List<String> problems) {
        if (uri == null || uri.isBlank()) {
            problems.add("uri: " + uri + " (expected: a " + SCHEMES + " URI)");
            return null;
        }
        URI parsed;
        try {
            parsed = new URI(uri.strip());
        } catch (URISyntaxException e) {
            problems.add("uri: " + uri + " (expected: a valid URI: " + e.getReason() + ")");
            return null;
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        String shown = parsed.getScheme() == null ? uri : redact(parsed);
        switch (scheme) {
            case "file" -> {
                if (parsed.getPath() == null || !parsed.getPath().startsWith("/")) {
                    problems.add("uri: " + shown + " (expected: file:///an/absolute/path)");
                }
            }
            case "http", "https" -> {
                if (parsed.getHost() == null) {
                    problems.add("uri: " + shown + " (expected: " + scheme + "://host/path)");
                }
            }
            case "s3" -> {
                if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
                    problems.add("uri: " + shown + " (expected: s3://bucket/prefix)");
                }
            }
            case "pvc" -> problems.add("uri: " + shown + " (expected: " + SCHEMES
                    + "; pvc:// is mounted into the pod by the controller, not fetched)");
            default -> problems.add("uri: " + shown + " (expected: a " + SCHEMES + " URI)");
        }
        return problems.isEmpty() ? parsed : null;
    }

    private static Optional<String> digest(URI parsed, String raw, String flag, List<String> problems) {
        String fragment = parsed == null ? null : parsed.getFragment();
        String fromFragment = null;
        if (fragment != null) {
            if (fragment.startsWith("sha256=")) {
                fromFragment = fragment.substring("sha256=".length());
            } else {
                problems.add("uri: " + redact(parsed) + "#" + fragment
                        + " (expected: no fragment, or #sha256=<64 hex digits>)");
            }
        }
        List<String> given = new ArrayList<>();
        if (fromFragment != null) {
            checkHex("uri#sha256", fromFragment, problems);
            given.add(fromFragment.toLowerCase(Locale.ROOT));
        }
        if (flag != null) {
            checkHex("sha256", flag, problems);
            given.add(flag.toLowerCase(Locale.ROOT));
        }
        if (given.size() == 2 && !given.get(0).equals(given.get(1))) {
            problems.add("sha256: " + flag + " (expected: the same digest as the URI's #sha256="
                    + fromFragment + ")");
        }
        if (!given.isEmpty() && parsed != null && "s3".equalsIgnoreCase(parsed.getScheme())) {
            problems.add("sha256: " + given.get(0)
                    + " (expected: only for one file over http(s):// or file://; S3 checks its own ETags)");
        }
        return given.isEmpty() ? Optional.empty() : Optional.of(given.get(0));
    }

    private static void checkHex(String name, String value, List<String> problems) {
        if (!HEX64.matcher(value).matches()) {
            problems.add(name + ": " + value + " (expected: 64 hex digits)");
        }
    }

    private static Path parseDest(String dest, List<String> problems) {
        if (dest == null || dest.isBlank()) {
            problems.add("dest: " + dest + " (expected: a directory path)");
            return null;
        }
        try {
            Path path = Path.of(dest).toAbsolutePath().normalize();
            if (path.getParent() == null) {
                problems.add("dest: " + dest + " (expected: a directory below the file system root)");
                return null;
            }
            return path;
        } catch (InvalidPathException e) {
            problems.add("dest: " + dest + " (expected: a valid path: " + e.getReason() + ")");
            return null;
        }
    }

    private static URI withoutFragment(URI uri) {
        if (uri.getRawFragment() == null) {
            return uri;
        }
        String s = uri.toString();
        return URI.create(s.substring(0, s.indexOf('#')));
    }
}
