package dev.modelgate.server.rollout;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.rollout.RolloutState;
import dev.modelgate.rollout.config.RolloutConfig;
import dev.modelgate.server.json.JsonLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One JSON file per service under rollout, {@code <dir>/<service>.rollout.json}, holding the
 * rollout's config and state ({@link RolloutConfig#toMap()}, {@link RolloutState#toMap()}), so a
 * restarted gateway resumes with the config it started with, decision log included. Written to a
 * temporary file and moved over the old one, so a crash mid-write leaves the previous state,
 * never half a file.
 */
final class StateFiles {
    private static final ObjectMapper JSON = JsonLimits.jsonMapper();
    private static final String SUFFIX = ".rollout.json";

    private final Path dir;

    StateFiles(Path dir) {
        this.dir = dir;
    }

    /** A stored rollout: its config and state. */
    record Stored(RolloutConfig config, RolloutState state) {
    }

    void save(String service, RolloutConfig config, RolloutState state) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("service", service);
        file.put("config", config.toMap());
        file.put("state", state.toMap());
        try {
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, "." + service, ".tmp");
            try {
                JSON.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), file);
                move(temp, path(service));
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("rollout state of " + service + ": cannot write "
                    + path(service), e);
        }
    }

    /** The service's stored rollout, if there is a readable one. */
    @SuppressWarnings("unchecked")
    Optional<Stored> load(String service) {
        Path path = path(service);
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try {
            Map<String, Object> file = JSON.readValue(path.toFile(), new TypeReference<>() { });
            return Optional.of(new Stored(RolloutConfig.fromMap((Map<String, Object>) file.get("config")),
                    RolloutState.fromMap((Map<String, Object>) file.get("state"))));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("rollout state: " + path + " (expected: a readable"
                    + " rollout state file: " + e.getMessage() + ")", e);
        }
    }

    Path path(String service) {
        return dir.resolve(service + SUFFIX);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
