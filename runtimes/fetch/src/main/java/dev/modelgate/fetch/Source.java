package dev.modelgate.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One URI scheme: copies what the URI names into an empty staging directory. Making the copy
 * atomic, and cleaning up after a failure, is the fetcher's job, not the scheme's.
 */
interface Source {
    void copyInto(FetchRequest request, Path staging) throws IOException;

    /**
     * Streams one file to {@code target}, checking its SHA-256 when one is expected; a mismatch
     * leaves the caller's staging directory to be deleted, so nothing half-checked is published.
     */
    static void download(InputStream in, Path target, Optional<String> sha256, String display) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        try (InputStream digesting = new DigestInputStream(in, digest);
             OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
            digesting.transferTo(out);
        }
        if (sha256.isPresent()) {
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(sha256.get())) {
                throw FetchException.refused("sha256: " + actual + " (expected: " + sha256.get()
                        + ", the digest given for " + display + ")");
            }
        }
    }

    /** The last segment of a URI path, the name a single fetched file keeps. */
    static String fileName(String path, String display) {
        String p = path == null ? "" : path;
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        String name = p.substring(p.lastIndexOf('/') + 1);
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw FetchException.invalid("uri: " + display + " (expected: a path naming a file)");
        }
        return name;
    }
}
