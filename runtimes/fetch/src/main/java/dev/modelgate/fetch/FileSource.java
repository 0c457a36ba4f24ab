package dev.modelgate.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code file://}: a file (kept or unpacked) or a directory (copied). Links inside a source
 * directory are kept as links when they lead somewhere inside it and refused otherwise, so a
 * model directory cannot smuggle {@code /etc} or a service-account token into the model.
 */
final class FileSource implements Source {
    @Override
    public void copyInto(FetchRequest request, Path staging) throws IOException {
        Path source = Path.of(request.uri());
        if (!Files.exists(source)) {
            throw FetchException.failed("uri: " + request.display() + " (expected: an existing file or directory)",
                    null);
        }
        if (Files.isDirectory(source)) {
            if (request.sha256().isPresent()) {
                throw FetchException.invalid("sha256: " + request.sha256().get()
                        + " (expected: only for a file; " + request.display() + " is a directory)");
            }
            copyTree(source.toRealPath(), staging);
            return;
        }
        String name = Source.fileName(source.toString(), request.display());
        Path download = Files.createTempFile(staging.getParent(), "." + staging.getFileName() + "-", ".part");
        Files.delete(download);
        try (InputStream in = Files.newInputStream(source)) {
            Source.download(in, download, request.sha256(), request.display());
            Archives.place(download, name, staging);
        } finally {
            Files.deleteIfExists(download);
        }
    }

    private static void copyTree(Path root, Path staging) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.filter(p -> !p.equals(root)).toList();
        }
        for (Path path : paths) {
            String name = root.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
            Path target = SafePaths.resolve(staging, "file", name);
            Path real = path.toRealPath();
            if (Files.isSymbolicLink(path) && !real.startsWith(root)) {
                throw FetchException.refused("file: " + path + " -> " + real
                        + " (expected: a symbolic link inside " + root + ")");
            }
            if (Files.isSymbolicLink(path)) {
                SafePaths.link(staging, "file", name, target,
                        path.getParent().relativize(real).toString().replace('\\', '/'));
            } else if (Files.isDirectory(real)) {
                SafePaths.prepareParent(staging, "file", name, target);
                Files.createDirectories(target);
            } else if (Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                try (InputStream in = Files.newInputStream(real)) {
                    Archives.write(staging, name, target, in);
                }
            }
        }
    }
}
