package dev.modelgate.server.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a set of files looks like now: each one's real path (a Kubernetes Secret volume rotates by
 * swapping the {@code ..data} symlink, leaving the mounted names alone), modification time and
 * size. Two equal stamps mean nothing was rotated; comparing them is the whole reload decision.
 *
 * @param files one entry per file, in the order asked; a file that cannot be read has its error
 */
record FileStamps(List<String> files) {
    FileStamps {
        files = List.copyOf(files);
    }

    static FileStamps of(List<Path> paths) {
        List<String> files = new ArrayList<>();
        for (Path path : paths) {
            try {
                Path real = path.toRealPath();
                files.add(real + " " + Files.getLastModifiedTime(real).toMillis() + " "
                        + Files.size(real));
            } catch (IOException e) {
                files.add(path + " unreadable " + e.getClass().getSimpleName());
            }
        }
        return new FileStamps(files);
    }

    /**
     * Whether to load the files again: they changed since the loaded pair and are not the same
     * broken set that already failed (so a broken rotation is logged once, not every poll).
     */
    static boolean reload(FileStamps loaded, FileStamps failed, FileStamps now) {
        return !now.equals(loaded) && !now.equals(failed);
    }
}
