package dev.modelgate.server.tls;

import dev.modelgate.server.config.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reload step of one set of PEM files, shared by the server's ports and the replicas' client
 * identity and CA bundle: load the files again when their stamps changed; a set that fails to
 * load (unreadable, mismatched, half-written during a rotation) is logged once and the current
 * material kept.
 *
 * @param <T> what the files load as: a key pair with its chain, or CA certificates
 */
final class PemReload<T> {
    private static final Logger LOG = LoggerFactory.getLogger(PemReload.class);

    private final List<Path> files;
    private final Supplier<T> load;
    private final Function<T, String> describe;
    private final String what;
    private FileStamps loaded;
    private FileStamps failed = new FileStamps(List.of());

    /**
     * Stamps the files now: make it before the first load, so a rotation between the two is
     * loaded at the next poll rather than missed.
     *
     * @param describe what a reload log line says was loaded (a subject)
     * @param what the files' owner in log lines, such as {@code tls (http port)}
     */
    PemReload(List<Path> files, Supplier<T> load, Function<T, String> describe, String what) {
        this.files = List.copyOf(files);
        this.load = load;
        this.describe = describe;
        this.what = what;
        this.loaded = FileStamps.of(this.files);
    }

    /** The files' material now, for the first load (stamped already by the constructor). */
    T load() {
        return load.get();
    }

    /** The files' new material when they changed and load; {@code null} otherwise. */
    synchronized T poll() {
        FileStamps now = FileStamps.of(files);
        if (!FileStamps.reload(loaded, failed, now)) {
            return null;
        }
        try {
            T material = load.get();
            loaded = now;
            LOG.info("{}: reloaded {}", what, describe.apply(material));
            return material;
        } catch (ConfigException | IllegalStateException e) {
            failed = now;
            LOG.warn("{}: kept what was loaded before; the new files do not load: {}", what,
                    e.getMessage());
            return null;
        }
    }
}
