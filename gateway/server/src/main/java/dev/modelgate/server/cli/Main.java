package dev.modelgate.server.cli;

import picocli.CommandLine;

/** The {@code modelgate} executable: the composition root. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command tree, for tests that run it with their own output streams. */
    static CommandLine commandLine() {
        return new CommandLine(new ModelgateCommand());
    }
}
