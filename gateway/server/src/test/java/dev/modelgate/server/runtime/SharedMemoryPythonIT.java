package dev.modelgate.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelgate.server.host.RuntimeRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * System shared memory as a Python client uses it: {@code src/test/python/shared_memory_client.py}
 * under Debian's {@code /usr/bin/python3} (python3-requests) makes its regions with
 * {@code multiprocessing.shared_memory} and infers iris through them, as tritonclient's
 * {@code simple_http_shm_client.py} does. Skipped, with the reason, where those are missing.
 */
class SharedMemoryPythonIT {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("src/test/python/shared_memory_client.py");

    private RuntimeServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static boolean hasModules() throws Exception {
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c",
                "import requests; from multiprocessing import shared_memory")
                .redirectErrorStream(true).start();
        return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
    }

    @Test
    void aPythonClientInfersThroughRegionsItCreated() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "/usr/bin/python3 is missing");
        assumeTrue(hasModules(), "python3-requests or multiprocessing.shared_memory is missing");
        assumeTrue(Files.isDirectory(Path.of("/dev/shm")), "no /dev/shm on this machine");
        server = RuntimeServer.start(SharedMemoryIT.config(true), RuntimeRegistry.fromClassPath(),
                RuntimeServer.only("iris:1"));
        server.loaded().join();

        Process client = new ProcessBuilder(PYTHON.toString(), SCRIPT.toString(),
                Integer.toString(server.httpPort()), "iris").redirectErrorStream(true).start();
        boolean finished = client.waitFor(120, TimeUnit.SECONDS);
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            client.destroyForcibly();
        }
        assertThat(finished).as(output).isTrue();
        assertThat(client.exitValue()).as(output).isZero();
        assertThat(output).contains("ok infer through shared memory",
                "ok output region equals the JSON answer", "ok unregistered region refused",
                "all checks passed");
    }
}
