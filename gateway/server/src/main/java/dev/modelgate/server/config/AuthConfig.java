package dev.modelgate.server.config;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code auth:} block: which clients may call the data plane (REST and gRPC) and which calls
 * need no key. Keys are stored as the SHA-256 of the token, never the token, so the config file
 * (a ConfigMap, a repository) does not hold a usable secret; a token in clear ({@code key:}) is
 * refused rather than hashed on the fly, so it never sits in a file at all. With no clients the
 * data plane is open, as before.
 *
 * <pre>
 * auth:
 *   clients:
 *     - name: app-a
 *       key-sha256: 9f86d08...   # modelgate hash-key &lt; token-file
 *   exempt: [health]            # default; [] protects health too, [health, metadata] opens both
 * </pre>
 *
 * @param clients the clients, each a name (a bounded identity for rate limits and the access log)
 *     and the lower-case hex SHA-256 of its token; empty turns authentication off
 * @param exempt the calls answered without a key
 */
public record AuthConfig(List<Client> clients, Set<Exempt> exempt) {

    /** One client: its name and the SHA-256 (64 lower-case hex digits) of its token. */
    public record Client(String name, String keySha256) {
        public Client {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(keySha256, "keySha256");
        }

        @Override
        public String toString() {
            // the hash is not the key, but it needs no spreading either
            return "Client[name=" + name + "]";
        }
    }

    /** Groups of calls that can be left open. */
    public enum Exempt {
        /** Liveness and readiness: {@code /v2/health/*}, model ready, KServe V1's model status. */
        HEALTH,
        /** Server and model metadata: {@code GET /v2}, {@code GET /v2/models/{m}}. */
        METADATA;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final String KEY = "auth";
    private static final Set<String> KEYS = Set.of("clients", "exempt");
    private static final Set<String> CLIENT_KEYS = Set.of("name", "key-sha256");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    /** Names go into access logs and rate-limit messages: short and plain. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    public AuthConfig {
        clients = List.copyOf(clients);
        exempt = exempt.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(exempt));
    }

    /** No clients: authentication off. */
    public static AuthConfig off() {
        return new AuthConfig(List.of(), Set.of(Exempt.HEALTH));
    }

    public boolean enabled() {
        return !clients.isEmpty();
    }

    /** Reads the {@code auth} section of {@code in}, recording every problem. */
    static AuthConfig read(ConfigValues in, ConfigProblems problems) {
        if (!in.has(KEY)) {
            return off();
        }
        Map<String, ?> section = in.section(KEY);
        if (section == null) {
            return off();
        }
        ConfigProblems within = problems.within(KEY + ".");
        ConfigValues values = new ConfigValues(section, within);
        values.rejectUnknown(KEYS);
        Set<Exempt> exempt = exempt(values, section, within);
        return new AuthConfig(clients(section.get("clients"), within), exempt);
    }

    private static Set<Exempt> exempt(ConfigValues values, Map<String, ?> section,
            ConfigProblems problems) {
        if (!section.containsKey("exempt")) {
            return Set.of(Exempt.HEALTH);
        }
        Set<Exempt> exempt = new HashSet<>();
        for (String group : values.strings("exempt")) {
            try {
                exempt.add(Exempt.valueOf(group.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                problems.add("exempt", group, "health or metadata");
            }
        }
        return exempt;
    }

    private static List<Client> clients(Object value, ConfigProblems problems) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            problems.add("clients", value, "a list of {name, key-sha256}");
            return List.of();
        }
        List<Client> clients = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "clients[" + i + "].";
            if (!(list.get(i) instanceof Map<?, ?> map)) {
                problems.add("clients[" + i + "]", list.get(i), "a map with name and key-sha256");
                continue;
            }
            Client client = client(map, problems.within(at));
            if (client == null) {
                continue;
            }
            if (!names.add(client.name())) {
                problems.add(at + "name", client.name(), "a name no other client has");
            }
            if (!hashes.add(client.keySha256())) {
                problems.add(at + "key-sha256", "(the key of another client)",
                        "a key of this client's own");
            }
            clients.add(client);
        }
        return clients;
    }

    private static Client client(Map<?, ?> map, ConfigProblems problems) {
        if (map.containsKey("key") || map.containsKey("token")) {
            // never echo it: the value is a secret that should not be in the file at all
            problems.add(map.containsKey("key") ? "key" : "token", "(hidden)",
                    "key-sha256, the SHA-256 hex of the token (modelgate hash-key); a token in"
                    + " clear is refused");
        }
        Map<String, Object> entry = new java.util.LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (!"key".equals(k) && !"token".equals(k)) {
                entry.put(String.valueOf(k), v);
            }
        });
        ConfigValues values = new ConfigValues(entry, problems);
        values.rejectUnknown(CLIENT_KEYS);
        String name = values.string("name", null);
        String hash = values.string("key-sha256", null);
        boolean ok = true;
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add("name", name, "1-63 letters, digits, '.', '_' or '-', starting with a"
                    + " letter or digit");
            ok = false;
        }
        if (hash == null || !SHA256_HEX.matcher(hash.toLowerCase(Locale.ROOT)).matches()) {
            problems.add("key-sha256", hash == null ? null : "(" + hash.length() + " characters)",
                    "64 hex digits, the SHA-256 of the token (modelgate hash-key)");
            ok = false;
        }
        return ok ? new Client(name, hash.toLowerCase(Locale.ROOT)) : null;
    }

    @Override
    public String toString() {
        return "AuthConfig[clients=" + clients.stream().map(Client::name).toList() + ", exempt="
                + exempt.stream().map(Exempt::key).sorted().toList() + "]";
    }
}
