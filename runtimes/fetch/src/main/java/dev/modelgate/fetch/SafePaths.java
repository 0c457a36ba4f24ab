package dev.modelgate.fetch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The one place that turns a name from outside (an archive entry, an S3 key, a file under a
 * source directory) into a path inside the staging directory. Names are checked lexically (no
 * {@code ..}, no absolute path, no drive letters or backslashes) and the directory a file lands in
 * is checked physically, so a symbolic link unpacked earlier cannot carry a later entry outside
 * ("zip slip" through a link). Symbolic links are accepted only when their target, resolved from
 * where the link really is, stays inside.
 */
final class SafePaths {
    private SafePaths() {
    }

    /**
     * The path for {@code name} under {@code root}.
     *
     * @param what how the name is shown in errors, for example {@code entry} or {@code key}
     */
    static Path resolve(Path root, String what, String name) {
        if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) {
            throw FetchException.refused(what + ": " + name + " (expected: a non-empty relative name)");
        }
        if (name.startsWith("/") || name.contains("\\") || name.matches("^[A-Za-z]:.*")) {
            throw FetchException.refused(what + ": " + name
                    + " (expected: a relative name inside the destination, not an absolute path)");
        }
        for (String segment : name.split("/", -1)) {
            if (segment.equals("..")) {
                throw FetchException.refused(what + ": " + name
                        + " (expected: a name inside the destination, without '..')");
            }
        }
        Path resolved;
        try {
            resolved = root.resolve(name).normalize();
        } catch (InvalidPathException e) {
            throw FetchException.refused(what + ": " + name + " (expected: a valid file name: " + e.getReason() + ")");
        }
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw FetchException.refused(what + ": " + name + " (expected: a name inside the destination)");
        }
        return resolved;
    }

    /** Creates the parents of {@code target} and checks that they really lie inside {@code root}. */
    static void prepareParent(Path root, String what, String name, Path target) throws IOException {
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path real = parent.toRealPath();
        if (!real.startsWith(root.toRealPath())) {
            throw FetchException.refused(what + ": " + name
                    + " (expected: a name inside the destination; a symbolic link leads to " + real + ")");
        }
        if (Files.isSymbolicLink(target)) {
            Files.delete(target);
        }
    }

    /**
     * Creates a symbolic link, refusing one whose target leaves {@code root}. A target may climb
     * only at its start ({@code ../../lib/x}); a {@code ..} after a name could climb out of a
     * directory that is itself a link, which a lexical check cannot see.
     */
    static void link(Path root, String what, String name, Path link, String target) throws IOException {
        String[] segments = target.split("/", -1);
        int ups = 0;
        while (ups < segments.length && segments[ups].equals("..")) {
            ups++;
        }
        boolean laterUp = false;
        for (int i = ups; i < segments.length; i++) {
            laterUp |= segments[i].equals("..");
        }
        if (target.isEmpty() || target.startsWith("/") || target.contains("\\") || laterUp) {
            throw FetchException.refused(what + ": " + name + " -> " + target
                    + " (expected: a relative symbolic link inside the destination)");
        }
        prepareParent(root, what, name, link);
        Path landing = link.getParent().toRealPath();
        for (int i = 0; i < ups && landing != null; i++) {
            landing = landing.getParent();
        }
        if (landing == null || !landing.resolve(String.join("/", java.util.Arrays.copyOfRange(
                segments, ups, segments.length))).normalize().startsWith(root.toRealPath())) {
            throw FetchException.refused(what + ": " + name + " -> " + target
                    + " (expected: a symbolic link inside the destination)");
        }
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Path.of(target));
    }
}
