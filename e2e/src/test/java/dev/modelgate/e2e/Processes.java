package dev.modelgate.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts this project's programs as real processes from the test's class path, as the one image would run them, with
 * their output in a log file the failing test can point at.
 */
final class Processes {

    private Processes() {
    }

    static Process java(String mainClass, List<String> args, Map<String, String> env, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        // Run in the log's directory: what a process writes relative to its working directory (the
        // gateway's rollout state files, next to the config, or here without one) stays in the run's
        // directory under target/, not in the source tree.
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(log.toAbsolutePath().getParent().toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    /** SIGTERM, then SIGKILL after ten seconds. */
    static void stop(Process process) {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** The fabric8 client environment that points a child process at the mock API server and nothing else. */
    static Map<String, String> kubernetes(String masterUrl) {
        return Map.of("KUBERNETES_MASTER", masterUrl,
                "KUBERNETES_AUTH_TRYKUBECONFIG", "false",
                "KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false",
                "KUBERNETES_TRUST_CERTIFICATES", "true",
                "KUBERNETES_HTTP2_DISABLE", "true");
    }
}
