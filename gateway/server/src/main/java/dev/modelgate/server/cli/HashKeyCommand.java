package dev.modelgate.server.cli;

import dev.modelgate.server.auth.KeyHashing;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code modelgate hash-key}: the {@code key-sha256} of a data-plane key, so that nobody hand-rolls
 * the hash (a stray newline from {@code echo} would make a key that never matches). The key is
 * read from standard input, never from an argument, which would leave it in the shell history and
 * the process list.
 */
@Command(name = "hash-key", mixinStandardHelpOptions = true,
        description = "Reads a data-plane key from standard input and prints its SHA-256 for"
                + " auth.clients[].key-sha256 (the config never holds the key itself).")
final class HashKeyCommand implements Callable<Integer> {
    private final InputStream in;

    @Spec
    CommandSpec spec;

    @Option(names = "--name", paramLabel = "CLIENT",
            description = "Print a ready auth.clients entry for this client name instead of the bare hash.")
    String name;

    /** The process edge: picocli builds it, and it reads this process's standard input. */
    HashKeyCommand() {
        this(System.in);
    }

    HashKeyCommand(InputStream in) {
        this.in = in;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // a key is short; more than this is not a key (and must not fill the memory)
        byte[] read = in.readNBytes(4096);
        try {
            String hash = KeyHashing.hash(new String(read, StandardCharsets.UTF_8));
            out.println(name == null ? hash
                    : "- name: " + name + System.lineSeparator() + "  key-sha256: " + hash);
            out.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("modelgate: hash-key: " + e.getMessage());
            err.flush();
            return 2;
        }
    }
}
