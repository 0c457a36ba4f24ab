package dev.modelgate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.server.auth.Secrets;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HashKeyCommandTest {
    private static final String KEY = "9c1185a5c5e9fc54612808977ee8f548b2258d31";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String stdin, String... args) {
        CommandLine cli = new CommandLine(new HashKeyCommand(
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void printsTheSha256OfTheKeyOnStandardInput() {
        assertThat(run(KEY + "\n")).isZero();
        assertThat(out.toString().strip()).isEqualTo(Secrets.sha256Hex(KEY));
    }

    @Test
    void printsAConfigEntryForANamedClient() {
        assertThat(run(KEY, "--name", "app-a")).isZero();
        assertThat(out.toString()).isEqualTo("- name: app-a" + System.lineSeparator()
                + "  key-sha256: " + Secrets.sha256Hex(KEY) + System.lineSeparator());
    }

    @Test
    void aShortKeyIsRefusedWithExitTwoAndNoEcho() {
        assertThat(run("hunter2\n")).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).startsWith("modelgate: hash-key: key: 7 characters").doesNotContain("hunter2");
    }

    @Test
    void theCommandIsReachableFromTheTopLevel() {
        assertThat(Main.commandLine().getSubcommands()).containsKey("hash-key");
    }
}
