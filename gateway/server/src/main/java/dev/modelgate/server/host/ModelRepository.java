package dev.modelgate.server.host;

import dev.modelgate.server.config.ConfigException;
import dev.modelgate.server.config.ConfigProblems;
import dev.modelgate.server.config.ModelConfig;
import dev.modelgate.server.config.YamlFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Scans a model repository in Triton's layout:
 *
 * <pre>
 * repository/
 *   iris/
 *     model.yaml        optional, see {@link ModelConfig}
 *     labels.txt        optional, the output class labels (classification extension)
 *     1/model.onnx      version directories are positive integers
 *     2/model.onnx
 * </pre>
 *
 * <p>The model file is {@code model.<runtime name>} (onnx: {@code model.onnx}, the test fake:
 * {@code model.fake}); the SPI has no file convention of its own, so this one rule covers every
 * runtime. Other files and directories are ignored. Every problem in every model is reported in one
 * {@link ConfigException}.
 */
public final class ModelRepository {
    static final String MODEL_YAML = "model.yaml";
    static final String LABELS_TXT = "labels.txt";
    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,17}");

    private ModelRepository() {
    }

    /**
     * @param runtimes the runtime names available, for checking each model's {@code runtime}
     * @throws ConfigException listing every problem found
     */
    public static List<ModelEntry> scan(Path root, Set<String> runtimes) {
        return scan(root, runtimes, false);
    }

    /**
     * @param allowEmpty whether a repository with no model is fine: a gateway whose services all
     *     come from a routing source hosts nothing itself
     */
    public static List<ModelEntry> scan(Path root, Set<String> runtimes, boolean allowEmpty) {
        ConfigProblems problems = new ConfigProblems();
        List<ModelEntry> entries = new ArrayList<>();
        Path realRoot = realRoot(root);
        for (Path dir : children(root, problems)) {
            String name = dir.getFileName().toString();
            if (!Files.isDirectory(dir) || name.startsWith(".")) {
                continue;
            }
            if (!MODEL_NAME.matcher(name).matches()) {
                problems.add("model " + name, name + "/", "a name of letters, digits, '_', '.' and '-'");
                continue;
            }
            ModelEntry entry = scanModel(dir, name, realRoot, runtimes, problems);
            if (entry != null) {
                entries.add(entry);
            }
        }
        if (entries.isEmpty() && problems.isEmpty() && !allowEmpty) {
            problems.add("models", "none", "at least one <model>/<version>/ directory");
        }
        problems.throwIfAny("model repository " + root);
        return List.copyOf(entries);
    }

    /**
     * Scans one model again (an explicit load at run time): the same rules as {@link #scan}.
     *
     * @throws ConfigException listing every problem with this model, or that it does not exist
     */
    public static ModelEntry scanModel(Path root, String name, Set<String> runtimes) {
        ConfigProblems problems = new ConfigProblems();
        // The name is checked before it becomes a path: a NUL byte would make resolve throw
        // (found by fuzzing, RepositoryPathFuzzTest).
        boolean named = MODEL_NAME.matcher(name).matches();
        Path dir = named ? root.resolve(name).normalize() : null;
        ModelEntry entry = null;
        if (!named || !dir.getParent().equals(root.normalize())) {
            problems.add("model", name, "a name of letters, digits, '_', '.' and '-'");
        } else if (!Files.isDirectory(dir)) {
            problems.add("model " + name, name + "/", "a model directory in the repository");
        } else {
            entry = scanModel(dir, name, realRoot(root), runtimes, problems);
        }
        problems.throwIfAny("model repository " + root);
        return entry;
    }

    /** The names of the model directories in the repository, sorted; none when it is unreadable. */
    public static List<String> modelNames(Path root) {
        List<String> names = new ArrayList<>();
        for (Path dir : children(root, new ConfigProblems())) {
            String name = dir.getFileName().toString();
            if (Files.isDirectory(dir) && MODEL_NAME.matcher(name).matches()) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * The version directories of one model, each with whether it is complete (holds {@code
     * fileName}); hidden directories (a trainer's temporary ones) and other names are left out,
     * so is everything when the directory is unreadable.
     */
    public static java.util.SortedMap<Long, Boolean> versionDirectories(Path modelDir, String fileName) {
        java.util.SortedMap<Long, Boolean> versions = new TreeMap<>();
        for (Path child : children(modelDir, new ConfigProblems())) {
            String label = child.getFileName().toString();
            if (Files.isDirectory(child) && VERSION.matcher(label).matches()) {
                versions.put(Long.parseLong(label), Files.isRegularFile(child.resolve(fileName)));
            }
        }
        return versions;
    }

    private static ModelEntry scanModel(Path dir, String name, Path realRoot, Set<String> runtimes,
            ConfigProblems problems) {
        int before = problems.count();
        Path yaml = dir.resolve(MODEL_YAML);
        if (!inside(dir, realRoot) || Files.exists(yaml) && !inside(yaml, realRoot)) {
            problems.add("model " + name, "a link out of the repository",
                    "its directory and files inside the model repository");
            return null;
        }
        String prefix = name + "/" + MODEL_YAML + " ";
        ModelConfig config = ModelConfig.defaults();
        if (Files.exists(yaml)) {
            try {
                config = ModelConfig.from(YamlFiles.read(yaml), prefix, problems);
            } catch (ConfigException e) {
                problems.within(prefix).addAll(e);
                config = null;
            }
        }
        if (config == null) {
            return null;
        }
        config = withLabelsFile(dir, name, config, problems);
        if (!runtimes.contains(config.runtime())) {
            problems.within(prefix).add("runtime", config.runtime(), "one of "
                    + new TreeSet<>(runtimes));
            return null;
        }
        String fileName = "model." + config.runtime();
        TreeMap<Long, Path> versions = new TreeMap<>();
        for (Path child : children(dir, problems)) {
            String label = child.getFileName().toString();
            if (!Files.isDirectory(child) || !VERSION.matcher(label).matches()) {
                continue;
            }
            Path file = child.resolve(fileName);
            if (Files.exists(file) && !inside(file, realRoot)) {
                problems.add("model " + name + " version " + label, "a link out of the repository",
                        "its directory and files inside the model repository");
            } else if (Files.exists(file)) {
                versions.put(Long.parseLong(label), file);
            } else {
                problems.add("model " + name + " version " + label, name + "/" + label + "/",
                        "a directory holding " + fileName + " for runtime " + config.runtime());
            }
        }
        if (versions.isEmpty() && problems.count() == before) {
            problems.add("model " + name, name + "/", "at least one version directory such as 1/"
                    + fileName);
        }
        long defaultVersion = config.defaultVersion().orElse(versions.isEmpty() ? 0 : versions.lastKey());
        if (!versions.isEmpty() && !versions.containsKey(defaultVersion)) {
            problems.within(prefix).add("default-version", defaultVersion,
                    "one of the versions " + versions.keySet());
        }
        return problems.count() == before ? new ModelEntry(name, config, versions, defaultVersion)
                : null;
    }

    /**
     * Adds the labels of {@code labels.txt} (one per line, blank lines skipped), Triton's label
     * file; giving labels both there and in {@code model.yaml} is a problem, as two sources would
     * disagree sooner or later.
     */
    private static ModelConfig withLabelsFile(Path dir, String name, ModelConfig config,
            ConfigProblems problems) {
        Path file = dir.resolve(LABELS_TXT);
        if (!Files.isRegularFile(file)) {
            return config;
        }
        if (!config.labels().isEmpty()) {
            problems.add("model " + name + " " + LABELS_TXT, file,
                    "labels in labels.txt or in model.yaml, not both");
            return config;
        }
        try {
            return config.withLabels(Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8)
                    .stream().map(String::strip).filter(line -> !line.isEmpty()).toList());
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            problems.add("model " + name + " " + LABELS_TXT, file, "a readable UTF-8 text file");
            return config;
        }
    }

    /**
     * {@code text} (a load failure's reason, which a runtime may have phrased with the model
     * file's absolute path) with the repository's own location taken out, so that clients of the
     * repository extension see paths relative to the repository and nothing of the host's layout.
     */
    public static String relative(String text, Path root) {
        if (text == null || root == null) {
            return text;
        }
        String out = text;
        for (Path form : new Path[] {realRoot(root), root.toAbsolutePath().normalize(), root}) {
            String prefix = form.toString();
            if (!prefix.isEmpty()) {
                out = out.replace(prefix + java.io.File.separator, "").replace(prefix, ".");
            }
        }
        return out;
    }

    /**
     * The repository's real path: a model's directory, version directories and files must resolve
     * inside it. A symbolic link is fine while it stays inside; one that leads out (to another
     * tree, {@code /etc}, a user's home) is refused, since a client that can place or name a model
     * must not be able to make the server open whatever the link points at.
     */
    private static Path realRoot(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            return root.toAbsolutePath().normalize(); // unreadable: children() reports it
        }
    }

    private static boolean inside(Path path, Path realRoot) {
        try {
            return path.toRealPath().startsWith(realRoot);
        } catch (IOException e) {
            return false;
        }
    }

    private static List<Path> children(Path dir, ConfigProblems problems) {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(children::add);
        } catch (IOException e) {
            problems.add("directory", dir.getFileName(), "a readable directory ("
                    + e.getClass().getSimpleName() + ")");
        }
        children.sort(null);
        return children;
    }
}
