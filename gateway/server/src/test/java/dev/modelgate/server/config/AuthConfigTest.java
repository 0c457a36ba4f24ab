package dev.modelgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.modelgate.server.config.AuthConfig.Client;
import dev.modelgate.server.config.AuthConfig.Exempt;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code auth:} block: hashed keys only, every problem reported at once, never a secret echoed. */
class AuthConfigTest {
    private static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @TempDir
    Path dir;

    private ServerConfig read(Object auth) {
        Map<String, Object> values = new HashMap<>(Map.of("model-repository", dir.toString()));
        values.put("auth", auth);
        return ServerConfig.from(values, dir, "test");
    }

    private List<String> problems(Object auth) {
        return catchThrowableOfType(ConfigException.class, () -> read(auth)).problems();
    }

    @Test
    void absentMeansOffWithHealthExempt() {
        ServerConfig config = ServerConfig.from(Map.of("model-repository", dir.toString()), dir, "test");
        assertThat(config.auth()).isEqualTo(AuthConfig.off());
        assertThat(config.auth().enabled()).isFalse();
    }

    @Test
    void readsClientsAndExemptions() {
        AuthConfig auth = read(Map.of("clients", List.of(
                Map.of("name", "app-a", "key-sha256", HASH.toUpperCase()),
                Map.of("name", "app-b", "key-sha256", HASH.replace('9', '8'))),
                "exempt", List.of("health", "metadata"))).auth();
        assertThat(auth.enabled()).isTrue();
        assertThat(auth.clients()).containsExactly(new Client("app-a", HASH),
                new Client("app-b", HASH.replace('9', '8')));
        assertThat(auth.exempt()).containsExactlyInAnyOrder(Exempt.HEALTH, Exempt.METADATA);
        assertThat(read(Map.of("clients", List.of(Map.of("name", "a", "key-sha256", HASH)),
                "exempt", List.of())).auth().exempt()).isEmpty();
        assertThat(auth.toString()).doesNotContain(HASH);
    }

    @Test
    void aKeyInClearIsRefusedAndNeverEchoed() {
        List<String> problems = problems(Map.of("clients", List.of(
                Map.of("name", "app-a", "key", "my-secret-token-123"))));
        assertThat(problems).contains("auth.clients[0].key: (hidden) (expected: key-sha256, the"
                + " SHA-256 hex of the token (modelgate hash-key); a token in clear is refused)");
        assertThat(String.join("\n", problems)).doesNotContain("my-secret-token-123");
    }

    @Test
    void everyProblemIsReportedWithItsKey() {
        List<String> problems = problems(Map.of("clients", List.of(
                Map.of("name", "app a", "key-sha256", "abc"),
                Map.of("name", "dup", "key-sha256", HASH),
                Map.of("name", "dup", "key-sha256", HASH),
                Map.of("name", "x", "key-sha256", HASH.replace('9', '1'), "role", "admin")),
                "exempt", List.of("health", "infer"), "realm", "x"));
        assertThat(problems).containsExactlyInAnyOrder(
                "auth.realm: x (expected: one of the keys [clients, exempt])",
                "auth.exempt: infer (expected: health or metadata)",
                "auth.clients[0].name: app a (expected: 1-63 letters, digits, '.', '_' or '-',"
                        + " starting with a letter or digit)",
                "auth.clients[0].key-sha256: (3 characters) (expected: 64 hex digits, the SHA-256"
                        + " of the token (modelgate hash-key))",
                "auth.clients[2].name: dup (expected: a name no other client has)",
                "auth.clients[2].key-sha256: (the key of another client) (expected: a key of this"
                        + " client's own)",
                "auth.clients[3].role: admin (expected: one of the keys [key-sha256, name])");
        assertThat(problems(List.of("x"))).containsExactly("auth: [x] (expected: a map of settings)");
        assertThat(problems(Map.of("clients", "app-a"))).containsExactly(
                "auth.clients: app-a (expected: a list of {name, key-sha256})");
    }

    @Test
    void exemptionsAreASetOfGroups() {
        assertThat(new AuthConfig(List.of(), Set.of(Exempt.METADATA, Exempt.HEALTH)).exempt())
                .containsExactlyInAnyOrder(Exempt.HEALTH, Exempt.METADATA);
    }
}
