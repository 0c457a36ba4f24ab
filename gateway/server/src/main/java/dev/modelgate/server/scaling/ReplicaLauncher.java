package dev.modelgate.server.scaling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts local replicas: {@code modelgate runtime} in a child JVM with this process's own java and
 * class path (so a replica runs exactly the gateway's code and runtimes), on a free loopback port,
 * serving one model version, told to exit with its parent ({@code --parent-pid}, and its stdin: we
 * keep the pipe open and never write, so the kernel closes it when the gateway dies, kill -9
 * included). Every child it started and has not seen exit is destroyed by a shutdown hook, the
 * third guard, for an exit that skips {@code close}.
 *
 * <p>Output goes to one log file per replica under {@code logs}: a pipe nobody reads would block
 * the child once its buffer fills.
 */
final class ReplicaLauncher implements AutoCloseable {
    private static final String MAIN = "dev.modelgate.server.cli.Main";

    private final List<String> java;
    private final Path repository;
    private final Path logs;
    private final Path config;
    private final Set<Process> live = ConcurrentHashMap.newKeySet();
    private final AtomicInteger started = new AtomicInteger();
    private final Thread hook;

    private ReplicaLauncher(List<String> java, Path repository, Path logs) {
        this.java = List.copyOf(java);
        this.repository = repository;
        this.logs = logs;
        this.config = logs.resolve("replica.yaml");
        try {
            // A short drain delay: the gateway stops routing to a replica as it stops it, so only
            // its own pooled connections can still be racing a request (default 5s is for pods).
            Files.writeString(config, "bind-address: 127.0.0.1\naccess-log: off\ndrain-timeout: 5s\n"
                    + "drain-delay: 1s\n");
        } catch (IOException e) {
            throw new UncheckedIOException("replica config " + config + ": cannot write", e);
        }
        this.hook = new Thread(this::destroyAll, "modelgate-replica-reaper");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * A launcher that runs children with this JVM's java binary and class path.
     *
     * @param jvmOptions extra JVM flags for every child (heap, a class-data sharing archive)
     */
    static ReplicaLauncher ofThisProcess(Path repository, List<String> jvmOptions) {
        String binary = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>();
        command.add(binary);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MAIN);
        try {
            Path logs = Files.createTempDirectory("modelgate-replicas-" + ProcessHandle.current().pid() + "-");
            return new ReplicaLauncher(command, repository, logs);
        } catch (IOException e) {
            throw new UncheckedIOException("replica logs: cannot create a temporary directory", e);
        }
    }

    /** A free loopback port and the child started on it; the child still has to load and warm up. */
    Spawned start(String model, String version) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(java);
        command.addAll(List.of("runtime", "--config", config.toString(),
                "--model-repository", repository.toString(),
                "--http-port", Integer.toString(port), "--grpc-port", "0",
                "--only", model + ":" + (version == null ? "" : version),
                "--parent-pid", Long.toString(ProcessHandle.current().pid())));
        Path log = logs.resolve(model + "-" + (version == null ? "default" : version) + "-"
                + started.incrementAndGet() + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        live.add(process);
        process.onExit().thenRun(() -> live.remove(process));
        return new Spawned(process, port, log);
    }

    /** Children started and not yet seen to exit. */
    int live() {
        return live.size();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private void destroyAll() {
        live.forEach(Process::destroyForcibly);
    }

    /** Kills what is left (normally nothing: replicas are stopped first) and drops the hook. */
    @Override
    public void close() {
        destroyAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
    }

    /**
     * A child just started.
     *
     * @param process the child
     * @param port its REST port on 127.0.0.1
     * @param log where its output goes
     */
    record Spawned(Process process, int port, Path log) {
    }
}
