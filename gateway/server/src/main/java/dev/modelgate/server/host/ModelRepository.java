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
        for (Path dir : children(root, problems)) {
            String name = dir.getFileName().toString();
            if (!Files.isDirectory(dir) || name.startsWith(".")) {
                continue;
            }
            if (!MODEL_NAME.matcher(name).matches()) {
                problems.add("model " + name, dir, "a name of letters, digits, '_', '.' and '-'");
                continue;
            }
            ModelEntry entry = scanModel(dir, name, runtimes, problems);
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
        Path dir = root.resolve(name).normalize();
        ModelEntry entry = null;
        if (!MODEL_NAME.matcher(name).matches() || !dir.getParent().equals(root.normalize())) {
            problems.add("model " + name, dir, "a name of letters, digits, '_', '.' and '-'");
        } else if (!Files.isDirectory(dir)) {
            problems.add("model " + name, dir, "a model directory in the repository");
        } else {
            entry = scanModel(dir, name, runtimes, problems);
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

    private static ModelEntry scanModel(Path dir, String name, Set<String> runtimes,
            ConfigProblems problems) {
        int before = problems.count();
        Path yaml = dir.resolve(MODEL_YAML);
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
            if (Files.exists(file)) {
                versions.put(Long.parseLong(label), file);
            } else {
                problems.add("model " + name + " version " + label, child,
                        "a directory holding " + fileName + " for runtime " + config.runtime());
            }
        }
        if (versions.isEmpty() && problems.count() == before) {
            problems.add("model " + name, dir, "at least one version directory such as 1/"
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

    private static List<Path> children(Path dir, ConfigProblems problems) {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(children::add);
        } catch (IOException e) {
            problems.add("directory", dir, "a readable directory (" + e.getMessage() + ")");
        }
        children.sort(null);
        return children;
    }
}
