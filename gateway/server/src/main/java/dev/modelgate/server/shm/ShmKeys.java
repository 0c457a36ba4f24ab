package dev.modelgate.server.shm;

import dev.modelgate.api.InferenceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The one rule for which files a client may have the server map: a POSIX shared memory name
 * ({@code /name}, as {@code shm_open} takes it; the leading slash may be left out, as Python's
 * {@code multiprocessing.shared_memory} names are), which is a regular file directly in the
 * shared memory folder. A key is client input that becomes a path the server opens read-write, so
 * anything that could reach another file (a second slash, {@code ..}, a link out of the folder) is
 * refused before and after the file system resolves it.
 */
final class ShmKeys {
    static final int MAX_NAME = 255;
    private static final String EXPECTED = "a POSIX shared memory name, \"/name\" with no other"
            + " \"/\" and no \"..\"";

    private ShmKeys() {
    }

    /** The file name within the folder; no file system access. */
    static String fileName(String key) {
        if (key == null || key.isEmpty()) {
            throw invalid(key, EXPECTED);
        }
        String name = key.startsWith("/") ? key.substring(1) : key;
        if (name.isEmpty() || name.length() > MAX_NAME || name.contains("/")
                || name.contains("..") || name.equals(".") || name.indexOf('\0') >= 0
                || name.contains("\\")) {
            throw invalid(key, EXPECTED);
        }
        return name;
    }

    /**
     * The real path of the key's file under {@code root} (normally {@code /dev/shm}).
     *
     * @throws InferenceException INVALID_ARGUMENT for a malformed key, a missing file, or a file
     *     that is not a regular file directly in the folder once links are followed
     */
    static Path resolve(Path root, String key) {
        String name = fileName(key);
        try {
            Path realRoot = root.toRealPath();
            Path file = realRoot.resolve(name);
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw invalid(key, "an existing file in " + root);
            }
            Path real = file.toRealPath();
            if (!realRoot.equals(real.getParent()) || !Files.isRegularFile(real)) {
                throw invalid(key, "a regular file directly in " + root);
            }
            return real;
        } catch (IOException e) {
            throw invalid(key, "a readable file in " + root);
        }
    }

    private static InferenceException invalid(String key, String expected) {
        String shown = key == null ? "null" : '"' + (key.length() > 300 ? key.substring(0, 300)
                + "..." : key) + '"';
        return InferenceException.invalid("key: " + shown + " (expected: " + expected + ")");
    }
}
