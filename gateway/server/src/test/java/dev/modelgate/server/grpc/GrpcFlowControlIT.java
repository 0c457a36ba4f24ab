package dev.modelgate.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.RuntimeRegistry;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gRPC port's HTTP/2 flow-control windows, read off the wire as a client sees them: what a
 * client may send ahead of the server's reads, per stream and per connection.
 */
class GrpcFlowControlIT {
    private static final int SETTINGS = 0x4;
    private static final int WINDOW_UPDATE = 0x8;
    private static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
    private static final int DEFAULT_WINDOW = 65_535; // RFC 9113, before any SETTINGS or update

    @TempDir
    Path repo;

    @Test
    void streamsAndTheConnectionGetTheLargerWindow() throws Exception {
        Files.createDirectories(repo.resolve("toy"));
        Files.writeString(repo.resolve("toy/model.yaml"), "runtime: fake\n");
        FakeModelFile.writeFixture(repo.resolve("toy/1"), Duration.ZERO);
        ServerConfig config = ServerConfig.from(Map.of("model-repository", repo.toString(),
                "http-port", 0, "grpc-port", 0, "admin-port", 0, "bind-address", "127.0.0.1"),
                repo, "test");
        try (Modelgate server = Modelgate.start(config,
                RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.grpcPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[] {0, 0, 0, SETTINGS, 0, 0, 0, 0, 0}); // our (empty) SETTINGS
            out.flush();

            DataInputStream in = new DataInputStream(socket.getInputStream());
            long streamWindow = -1;
            long connectionWindow = DEFAULT_WINDOW;
            // The server's preface is its SETTINGS, then (for a larger connection window) a
            // WINDOW_UPDATE on stream 0; read until both are known or a few frames have passed.
            for (int frames = 0; frames < 6 && (streamWindow < 0 || connectionWindow == DEFAULT_WINDOW);
                    frames++) {
                int length = (in.readUnsignedShort() << 8) | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int stream = in.readInt() & 0x7fffffff;
                byte[] payload = in.readNBytes(length);
                boolean ack = (flags & 0x1) != 0;
                if (type == SETTINGS && !ack) {
                    for (int i = 0; i + 6 <= length; i += 6) {
                        int id = ((payload[i] & 0xff) << 8) | (payload[i + 1] & 0xff);
                        long value = ((payload[i + 2] & 0xffL) << 24) | ((payload[i + 3] & 0xff) << 16)
                                | ((payload[i + 4] & 0xff) << 8) | (payload[i + 5] & 0xff);
                        if (id == SETTINGS_INITIAL_WINDOW_SIZE) {
                            streamWindow = value;
                        }
                    }
                } else if (type == WINDOW_UPDATE && stream == 0) {
                    connectionWindow += ((payload[0] & 0x7fL) << 24) | ((payload[1] & 0xff) << 16)
                            | ((payload[2] & 0xff) << 8) | (payload[3] & 0xff);
                }
            }
            assertThat(streamWindow).isEqualTo(GrpcServer.FLOW_CONTROL_WINDOW);
            assertThat(connectionWindow).isEqualTo(GrpcServer.FLOW_CONTROL_WINDOW);
        }
    }
}
