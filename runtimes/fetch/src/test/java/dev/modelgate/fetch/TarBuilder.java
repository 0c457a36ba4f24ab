package dev.modelgate.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes test archives byte by byte, so the tests can make the entries no well-behaved tool
 * would ({@code ../../evil}, absolute names, links out of the tree). Names over 100 bytes get a
 * PAX header, as GNU tar and Python's tarfile write them.
 */
final class TarBuilder {
    private final ByteArrayOutputStream tar = new ByteArrayOutputStream();

    TarBuilder file(String name, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        entry(name, '0', data, "");
        return this;
    }

    TarBuilder directory(String name) {
        entry(name, '5', new byte[0], "");
        return this;
    }

    TarBuilder symlink(String name, String target) {
        entry(name, '2', new byte[0], target);
        return this;
    }

    TarBuilder hardLink(String name, String target) {
        entry(name, '1', new byte[0], target);
        return this;
    }

    byte[] gzipped() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(tar.toByteArray());
            gz.write(new byte[1024]);
        }
        return out.toByteArray();
    }

    Path writeTo(Path file) throws IOException {
        return Files.write(file, gzipped());
    }

    static Path zip(Path file, String... namesAndContents) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                zip.putNextEntry(new ZipEntry(namesAndContents[i]));
                zip.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return file;
    }

    private void entry(String name, char type, byte[] data, String link) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 100) {
            int base = (" path=" + name + "\n").getBytes(StandardCharsets.UTF_8).length;
            int length = base + 1;
            while (length != base + String.valueOf(length).length()) {
                length = base + String.valueOf(length).length();
            }
            byte[] paxBytes = (length + " path=" + name + "\n").getBytes(StandardCharsets.UTF_8);
            header("PaxHeaders/x", 'x', paxBytes.length, "");
            body(paxBytes);
            name = "truncated-" + name.substring(name.length() - 50);
        }
        header(name, type, data.length, link);
        body(data);
    }

    private void header(String name, char type, long size, String link) {
        byte[] h = new byte[512];
        put(h, 0, name, 100);
        put(h, 100, "0000644", 8);
        put(h, 108, "0000000", 8);
        put(h, 116, "0000000", 8);
        put(h, 124, String.format("%011o", size), 12);
        put(h, 136, String.format("%011o", 0), 12);
        h[156] = (byte) type;
        put(h, 157, link, 100);
        put(h, 257, "ustar", 6);
        put(h, 263, "00", 2);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum), 7);
        h[155] = ' ';
        tar.writeBytes(h);
    }

    private void body(byte[] data) {
        tar.writeBytes(data);
        tar.writeBytes(new byte[(512 - data.length % 512) % 512]);
    }

    private static void put(byte[] h, int offset, String value, int max) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, h, offset, Math.min(bytes.length, max));
    }
}
