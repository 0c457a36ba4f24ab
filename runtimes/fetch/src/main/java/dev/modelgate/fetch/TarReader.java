package dev.modelgate.fetch;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the entries of a tar stream (ustar, with GNU long names and PAX path headers), JDK only.
 * Models ship as {@code .tar.gz} and the project manages no compression library, so this reads
 * exactly what {@code tar} and Python's {@code tarfile} write and nothing more: regular files,
 * directories, symbolic and hard links. Anything else is returned with its type so the caller
 * can refuse it by name.
 */
final class TarReader {
    /** One header. {@code type} is the ustar type flag ('0' file, '5' directory, '2' symlink, '1' hard link). */
    record Entry(String name, char type, long size, String linkName) {
        boolean isFile() {
            return type == '0' || type == '\0' || type == '7';
        }
    }

    private static final int BLOCK = 512;
    private final InputStream in;
    private long remaining;
    private long padding;

    TarReader(InputStream in) {
        this.in = in;
    }

    /** The next entry, or {@code null} at the end of the archive; its data is then {@link #data()}. */
    Entry next() throws IOException {
        skip(remaining + padding);
        remaining = 0;
        padding = 0;
        String longName = null;
        String longLink = null;
        Map<String, String> pax = Map.of();
        while (true) {
            byte[] header = new byte[BLOCK];
            if (!readFully(header)) {
                return null;
            }
            if (isZero(header)) {
                return null;
            }
            checkSum(header);
            char type = (char) header[156];
            long size = octal(header, 124, 12);
            String name = string(header, 0, 100);
            String link = string(header, 157, 100);
            if (string(header, 257, 5).equals("ustar")) {
                String prefix = string(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
            }
            switch (type) {
                case 'L' -> longName = trimNul(new String(readBody(size), StandardCharsets.UTF_8));
                case 'K' -> longLink = trimNul(new String(readBody(size), StandardCharsets.UTF_8));
                case 'x' -> pax = parsePax(readBody(size));
                case 'g' -> readBody(size);
                default -> {
                    name = pax.getOrDefault("path", longName != null ? longName : name);
                    link = pax.getOrDefault("linkpath", longLink != null ? longLink : link);
                    if (pax.containsKey("size")) {
                        size = paxSize(pax.get("size"));
                    }
                    remaining = type == '5' || type == '2' || type == '1' ? 0 : size;
                    padding = type == '5' || type == '2' || type == '1' ? 0 : pad(size);
                    return new Entry(name, type, size, link);
                }
            }
        }
    }

    /** The current entry's bytes; valid until the next call to {@link #next()}. */
    InputStream data() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw new EOFException("tar entry truncated");
                }
                remaining -= n;
                return n;
            }
        };
    }

    private byte[] readBody(long size) throws IOException {
        if (size < 0 || size > 1 << 20) {
            throw new IOException("tar: extended header of " + size + " bytes (expected: at most 1 MiB)");
        }
        byte[] body = new byte[(int) size];
        if (!readFully(body)) {
            throw new EOFException("tar extended header truncated");
        }
        skip(pad(size));
        return body;
    }

    private static Map<String, String> parsePax(byte[] body) throws IOException {
        try {
            return parsePaxRecords(body);
        } catch (RuntimeException e) {
            throw new IOException("tar PAX header (expected: records of the form '<length> key=value')", e);
        }
    }

    private static Map<String, String> parsePaxRecords(byte[] body) {
        Map<String, String> values = new HashMap<>();
        int pos = 0;
        while (pos < body.length) {
            int space = pos;
            while (space < body.length && body[space] != ' ') {
                space++;
            }
            int length = Integer.parseInt(new String(body, pos, space - pos, StandardCharsets.US_ASCII));
            String record = new String(body, space + 1, length - (space + 1 - pos) - 1, StandardCharsets.UTF_8);
            int eq = record.indexOf('=');
            values.put(record.substring(0, eq), record.substring(eq + 1));
            pos += length;
        }
        return values;
    }

    private static long paxSize(String value) throws IOException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IOException("tar PAX size '" + value + "' (expected: a decimal number)", e);
        }
    }

    private static void checkSum(byte[] header) throws IOException {
        long expected = octal(header, 148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += i >= 148 && i < 156 ? ' ' : header[i] & 0xff;
        }
        if (sum != expected) {
            throw new IOException("tar header checksum " + expected + " (expected: " + sum
                    + "; not a tar archive or a corrupt one)");
        }
    }

    private static long octal(byte[] header, int offset, int length) throws IOException {
        if ((header[offset] & 0x80) != 0) {
            long value = header[offset] & 0x7f;
            for (int i = offset + 1; i < offset + length; i++) {
                value = value << 8 | header[i] & 0xff;
            }
            return value;
        }
        String text = string(header, offset, length).trim();
        try {
            return text.isEmpty() ? 0 : Long.parseLong(text, 8);
        } catch (NumberFormatException e) {
            throw new IOException("tar header field '" + text + "' (expected: an octal number)", e);
        }
    }

    private static String string(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static String trimNul(String s) {
        int nul = s.indexOf('\0');
        return nul < 0 ? s : s.substring(0, nul);
    }

    private static long pad(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private boolean readFully(byte[] buffer) throws IOException {
        int read = in.readNBytes(buffer, 0, buffer.length);
        if (read == 0) {
            return false;
        }
        if (read < buffer.length) {
            throw new EOFException("tar archive truncated");
        }
        return true;
    }

    private void skip(long n) throws IOException {
        in.skipNBytes(n);
    }
}
