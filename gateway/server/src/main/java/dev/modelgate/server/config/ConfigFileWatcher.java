package dev.modelgate.server.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one config file and calls back when its content changes. It polls the bytes rather than
 * using a {@link java.nio.file.WatchService}: editors and Kubernetes ConfigMaps replace files by
 * rename or symlink swap, which directory watches report unreliably, and a poll per second of a
 * small file costs nothing.
 */
public final class ConfigFileWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigFileWatcher.class);

    private final Path file;
    private final Runnable onChange;
    private final ScheduledExecutorService timer;
    private byte[] last;

    private ConfigFileWatcher(Path file, Runnable onChange) {
        this.file = file;
        this.onChange = onChange;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "modelgate-config-watch");
            thread.setDaemon(true);
            return thread;
        });
        this.last = read();
    }

    /** Starts polling {@code file} every {@code interval}; {@code onChange} runs on the poll thread. */
    public static ConfigFileWatcher start(Path file, Duration interval, Runnable onChange) {
        ConfigFileWatcher watcher = new ConfigFileWatcher(file, onChange);
        watcher.timer.scheduleWithFixedDelay(watcher::poll, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return watcher;
    }

    private void poll() {
        byte[] now = read();
        if (now == null || Arrays.equals(now, last)) {
            return;
        }
        last = now;
        try {
            onChange.run();
        } catch (RuntimeException e) {
            log.error("Applying the edit of {} failed", file, e);
        }
    }

    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
