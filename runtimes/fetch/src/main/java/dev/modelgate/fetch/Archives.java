package dev.modelgate.fetch;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Places one fetched file into the staging directory: an archive ({@code .tar.gz}, {@code .tgz},
 * {@code .zip}) is unpacked, anything else is kept under its own name. Every entry goes through
 * {@link SafePaths}, so an archive can only ever write inside the staging directory. Zip entries
 * are written as plain files: {@link ZipInputStream} does not expose Unix modes, so a zip symlink
 * arrives as a small file holding its target, which cannot lead anywhere.
 */
final class Archives {
    private Archives() {
    }

    /** Whether {@code fileName} is unpacked rather than kept. */
    static boolean isArchive(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return lower.endsWith(".tar.gz") || lower.endsWith(".tgz") || lower.endsWith(".zip");
    }

    /**
     * Moves {@code file} (named {@code fileName} at its source) into {@code root}, unpacking it if it
     * is an archive; {@code file} is gone afterwards.
     */
    static void place(Path file, String fileName, Path root) throws IOException {
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".zip")) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                unzip(in, root);
            }
            Files.delete(file);
        } else if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz")) {
            try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file)), 65536)) {
                untar(in, root);
            }
            Files.delete(file);
        } else {
            Path target = SafePaths.resolve(root, "uri", fileName);
            SafePaths.prepareParent(root, "uri", fileName, target);
            Files.move(file, target);
        }
    }

    static void untar(InputStream in, Path root) throws IOException {
        TarReader tar = new TarReader(in);
        for (TarReader.Entry entry = tar.next(); entry != null; entry = tar.next()) {
            String name = stripDot(entry.name());
            if (name.isEmpty()) {
                continue;
            }
            Path target = SafePaths.resolve(root, "entry", name);
            if (entry.type() == '5') {
                SafePaths.prepareParent(root, "entry", name, target);
                Files.createDirectories(target);
            } else if (entry.type() == '2') {
                SafePaths.link(root, "entry", name, target, entry.linkName());
            } else if (entry.isFile()) {
                write(root, name, target, tar.data());
            } else {
                throw FetchException.refused("entry: " + name + " (expected: a file, directory or symbolic"
                        + " link; tar type '" + entry.type() + "' is not unpacked)");
            }
        }
    }

    static void unzip(InputStream in, Path root) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                String name = stripDot(entry.getName());
                if (name.isEmpty()) {
                    continue;
                }
                Path target = SafePaths.resolve(root, "entry", name);
                if (entry.isDirectory()) {
                    SafePaths.prepareParent(root, "entry", name, target);
                    Files.createDirectories(target);
                } else {
                    write(root, name, target, zip);
                }
            }
        }
    }

    /** Writes one entry; never through a link: an existing link at the name is replaced, not followed. */
    static void write(Path root, String name, Path target, InputStream data) throws IOException {
        SafePaths.prepareParent(root, "entry", name, target);
        Files.deleteIfExists(target);
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            data.transferTo(out);
        }
    }

    private static String stripDot(String name) {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        while (n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        return n.equals(".") ? "" : n;
    }
}
