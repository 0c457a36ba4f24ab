package dev.modelgate.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "modelgate", mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Serves models over the Open Inference Protocol (KServe V2).",
        subcommands = {ServeCommand.class, RuntimeCommand.class, QuickstartCommand.class,
            FetchModelCommand.class, RolloutCommand.class, HashKeyCommand.class})
final class ModelgateCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
