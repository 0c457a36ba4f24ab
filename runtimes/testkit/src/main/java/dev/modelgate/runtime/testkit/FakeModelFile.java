package dev.modelgate.runtime.testkit;

import dev.modelgate.api.InferenceException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes and reads the fake runtime's {@code model.fake} files; the format is described on
 * {@link FakeRuntimeProvider}.
 */
public final class FakeModelFile {
    /** The file name the fake runtime looks for in a version directory. */
    public static final String FILE_NAME = "model.fake";
    static final String FORMAT = "modelgate-fake/1";

    private static final Set<String> KEYS = Set.of("format", "features", "units", "weights", "bias",
            "input", "output", "relu-output", "delay-ms", "fail-every", "kind");
    static final String BYTES_ECHO = "bytes-echo";
    private static final Set<String> ECHO_KEYS = Set.of("format", "kind", "input", "output");

    private FakeModelFile() {
    }

    /** Writes the {@link AffineFixture} model to {@code dir/model.fake} and returns the file. */
    public static Path writeFixture(Path dir) throws IOException {
        return writeFixture(dir, Duration.ZERO);
    }

    /** As {@link #writeFixture(Path)}, with a delay per infer call. */
    public static Path writeFixture(Path dir, Duration delay) throws IOException {
        Files.createDirectories(dir);
        String text = "# the Modelgate testkit's AffineFixture\n"
                + "format = " + FORMAT + "\n"
                + "features = " + AffineFixture.FEATURES + "\n"
                + "units = " + AffineFixture.UNITS + "\n"
                + "weights = " + join(AffineFixture.flatWeights()) + "\n"
                + "bias = " + join(AffineFixture.bias()) + "\n"
                + "input = " + AffineFixture.INPUT + "\n"
                + "output = " + AffineFixture.OUTPUT + "\n"
                + "relu-output = " + AffineFixture.RELU_OUTPUT + "\n"
                + "delay-ms = " + delay.toMillis() + "\n";
        return Files.writeString(dir.resolve(FILE_NAME), text, StandardCharsets.UTF_8);
    }

    /**
     * Writes a {@code kind = bytes-echo} model to {@code dir/model.fake}: BYTES input {@code text}
     * {@code [-1]} answered unchanged as BYTES output {@code text_out}.
     */
    public static Path writeBytesEcho(Path dir) throws IOException {
        Files.createDirectories(dir);
        String text = "# echoes BYTES elements unchanged\n"
                + "format = " + FORMAT + "\n"
                + "kind = " + BYTES_ECHO + "\n"
                + "input = text\n"
                + "output = text_out\n";
        return Files.writeString(dir.resolve(FILE_NAME), text, StandardCharsets.UTF_8);
    }

    /** Reads a model file: the affine model or, for {@code kind = bytes-echo}, the echo. */
    static dev.modelgate.api.spi.LoadedModel load(Path file,
            dev.modelgate.api.spi.ModelLoadRequest request) {
        Properties properties = properties(file);
        String kind = properties.getProperty("kind", "affine").trim();
        if (kind.equals(BYTES_ECHO)) {
            Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
            unknown.removeAll(ECHO_KEYS);
            if (!unknown.isEmpty() || !FORMAT.equals(properties.getProperty("format"))) {
                throw InferenceException.invalid("model file " + file + ": keys " + unknown
                        + ", format " + properties.getProperty("format") + " (expected: keys of "
                        + new TreeSet<>(ECHO_KEYS) + " and format " + FORMAT + ")");
            }
            return new FakeBytesEcho(request, properties.getProperty("input", "text").trim(),
                    properties.getProperty("output", "text_out").trim());
        }
        if (!kind.equals("affine")) {
            throw InferenceException.invalid("model file " + file + ": kind: " + kind
                    + " (expected: affine or " + BYTES_ECHO + ")");
        }
        return new FakeModel(request, read(file, properties));
    }

    private static Properties properties(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw InferenceException.invalid("model file: " + file + " (expected: a readable "
                    + FORMAT + " properties file: " + e.getMessage() + ")");
        }
        return properties;
    }

    /** Reads an affine model file, reporting every problem in one message. */
    static FakeModelSpec read(Path file) {
        return read(file, properties(file));
    }

    private static FakeModelSpec read(Path file, Properties properties) {
        List<String> problems = new ArrayList<>();
        Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
        unknown.removeAll(KEYS);
        unknown.forEach(key -> problems.add(key + ": unknown key (expected one of " + new TreeSet<>(KEYS) + ")"));
        if (!FORMAT.equals(properties.getProperty("format"))) {
            problems.add("format: " + properties.getProperty("format") + " (expected: " + FORMAT + ")");
        }
        int features = positive(properties, "features", problems);
        int units = positive(properties, "units", problems);
        float[] weights = floats(properties, "weights", features * units, problems);
        float[] bias = floats(properties, "bias", units, problems);
        int delayMs = properties.containsKey("delay-ms") ? integer(properties, "delay-ms", problems) : 0;
        int failEvery = properties.containsKey("fail-every") ? integer(properties, "fail-every", problems) : 0;
        if (!problems.isEmpty()) {
            throw InferenceException.invalid("model file " + file + ": " + String.join("; ", problems));
        }
        return new FakeModelSpec(properties.getProperty("input", AffineFixture.INPUT),
                properties.getProperty("output", AffineFixture.OUTPUT),
                properties.getProperty("relu-output", AffineFixture.RELU_OUTPUT),
                features, units, weights, bias, Duration.ofMillis(delayMs), failEvery);
    }

    private static int positive(Properties properties, String key, List<String> problems) {
        int value = integer(properties, key, problems);
        if (value == 0 && properties.getProperty(key).trim().equals("0")) {
            problems.add(key + ": 0 (expected: a positive integer)");
        }
        return value;
    }

    private static int integer(Properties properties, String key, List<String> problems) {
        String text = properties.getProperty(key);
        try {
            int value = Integer.parseInt(text == null ? "" : text.trim());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key + ": " + text + " (expected: a non-negative integer)");
        return 0;
    }

    private static float[] floats(Properties properties, String key, int count, List<String> problems) {
        String text = properties.getProperty(key);
        float[] values = new float[count];
        String[] parts = text == null ? new String[0] : text.split(",");
        if (text == null) {
            problems.add(key + ": missing (expected: " + (count == 0 ? "numbers" : count + " values") + ")");
        } else if (count > 0 && parts.length != count) {
            problems.add(key + ": " + parts.length + " values (expected: " + count + ")");
        }
        if (parts.length != count) {
            return values;
        }
        for (int i = 0; i < count; i++) {
            try {
                values[i] = Float.parseFloat(parts[i].trim());
            } catch (NumberFormatException e) {
                problems.add(key + "[" + i + "]: " + parts[i].trim() + " (expected: a number)");
            }
        }
        return values;
    }

    private static String join(float[] values) {
        StringBuilder text = new StringBuilder();
        for (float value : values) {
            text.append(text.length() == 0 ? "" : ", ").append(value);
        }
        return text.toString();
    }
}
