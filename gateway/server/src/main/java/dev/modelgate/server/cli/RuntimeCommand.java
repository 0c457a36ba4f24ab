package dev.modelgate.server.cli;

import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.RuntimeRegistry;
import dev.modelgate.server.runtime.RuntimeServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "runtime", mixinStandardHelpOptions = true,
        description = "Hosts a model repository's models with no traffic splitting (the process"
                + " behind the gateway); models load and unload through /v2/repository.")
final class RuntimeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RuntimeCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions options = new ServerOptions();

    @Option(names = "--only", paramLabel = "MODEL:VERSION",
            description = "Serve just this model version of the repository (a gateway's local replica).")
    String only;

    @Option(names = "--parent-pid", paramLabel = "PID",
            description = "Exit when this process goes away, or when standard input closes (a local"
                    + " replica of a gateway: no orphan outlives it, kill -9 included).")
    Long parentPid;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Path cwd = Path.of("").toAbsolutePath();
        ServerConfig config;
        RuntimeServer server;
        try {
            config = options.config(cwd, Map.of(), false);
            server = RuntimeServer.start(config, RuntimeRegistry.fromClassPath(), RuntimeServer.only(only));
        } catch (Exception e) { // Netty throws some checked exceptions sneakily
            return StartupErrors.report(e, err, options.debug);
        }
        Duration drain = config.drainTimeout();
        Thread hook = new Thread(server::close, "modelgate-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Termination.onSignal(() -> server.drain(drain));
        if (parentPid != null) {
            ParentWatch.exitWithParent(parentPid);
        }
        try {
            server.loaded().join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            err.println("modelgate: start-up failed: " + cause.getMessage());
            err.flush();
            server.close();
            return Serving.LOAD_ERROR;
        }
        log.info("Modelgate runtime serving http port {}, gRPC port {}, models: {}",
                server.httpPort(), server.grpcPort(), server.host().modelNames());
        try {
            server.awaitClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("Modelgate runtime stopped");
        return 0;
    }
}
