package dev.modelgate.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.api.InferenceException;
import dev.modelgate.server.json.JsonLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a YAML file into a kebab-case key/value map for {@link ServerConfig} or {@link ModelConfig}.
 * Binding and validation happen there, not in Jackson, so every problem is reported at once.
 */
public final class YamlFiles {
    private static final ObjectMapper YAML = JsonLimits.yamlMapper();

    private YamlFiles() {
    }

    /**
     * @throws ConfigException when the file is missing, unreadable, malformed or not a mapping
     */
    public static Map<String, Object> read(Path file) {
        String source = file.toString();
        try {
            if (Files.size(file) == 0) {
                return Map.of();
            }
            Object root = YAML.readValue(file.toFile(), new TypeReference<Object>() { });
            if (root == null) {
                return Map.of();
            }
            if (!(root instanceof Map<?, ?> map)) {
                throw new ConfigException(source, "document: " + root.getClass().getSimpleName()
                        + " (expected: a mapping of kebab-case keys)");
            }
            Map<String, Object> values = new LinkedHashMap<>();
            map.forEach((k, v) -> values.put(String.valueOf(k), v));
            return values;
        } catch (NoSuchFileException e) {
            throw new ConfigException(source, "file: " + file + " (expected: an existing file)");
        } catch (JsonProcessingException e) {
            InferenceException refused = JsonLimits.refusal(e, "yaml");
            if (refused != null) {
                throw new ConfigException(source, refused.getMessage());
            }
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + " column "
                    + e.getLocation().getColumnNr();
            throw new ConfigException(source, "yaml: " + e.getOriginalMessage().lines()
                    .findFirst().orElse("unreadable") + where + " (expected: valid YAML)");
        } catch (IOException e) {
            throw new ConfigException(source, "file: " + file + " (expected: a readable file; "
                    + e.getMessage() + ")");
        }
    }
}
