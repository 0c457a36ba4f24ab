package dev.modelgate.fetch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Map;

/**
 * Picks the source by scheme and publishes atomically: everything is written into a hidden
 * staging directory beside the destination (same file system, so a rename), which replaces the
 * destination only once complete and checked. A runtime container, or a restarted init
 * container, therefore never sees half a model; a failure deletes the staging directory.
 */
final class DefaultModelFetcher implements ModelFetcher {
    private final Map<String, String> env;
    private final HttpClient http;
    private final Duration httpTimeout;

    DefaultModelFetcher(Map<String, String> env, HttpClient http, Duration httpTimeout) {
        this.env = env;
        this.http = http;
        this.httpTimeout = httpTimeout;
    }

    @Override
    public Path fetch(FetchRequest request) {
        Source source = source(request);
        Path dest = request.dest();
        Path staging = null;
        try {
            Files.createDirectories(dest.getParent());
            staging = Files.createTempDirectory(dest.getParent(), "." + dest.getFileName() + ".fetch-");
            source.copyInto(request, staging);
            publish(staging, dest);
            staging = null;
            return dest;
        } catch (IOException e) {
            throw FetchException.failed("uri: " + request.display() + " (expected: fetched into " + dest + ")", e);
        } catch (UncheckedIOException e) {
            throw FetchException.failed("uri: " + request.display() + " (expected: fetched into " + dest + ")",
                    e.getCause());
        } finally {
            if (staging != null) {
                deleteQuietly(staging);
            }
        }
    }

    private Source source(FetchRequest request) {
        return switch (request.scheme()) {
            case "file" -> new FileSource();
            case "http", "https" -> new HttpSource(http, httpTimeout);
            case "s3" -> new S3Source(S3Settings.from(env));
            default -> throw FetchException.invalid("uri: " + request.display()
                    + " (expected: file://, http://, https:// or s3://)");
        };
    }

    /** Renames staging onto dest; an existing dest is first renamed aside, then deleted. */
    private static void publish(Path staging, Path dest) throws IOException {
        Path old = null;
        if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
            old = Files.createTempDirectory(dest.getParent(), "." + dest.getFileName() + ".old-");
            Files.delete(old);
            move(dest, old);
        }
        move(staging, dest);
        if (old != null) {
            deleteQuietly(old);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException(to + " (expected: a file system that renames atomically)", e);
        }
    }

    static void deleteQuietly(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // best effort: a leftover hidden directory is harmless and the next fetch uses a new name
        }
    }
}
