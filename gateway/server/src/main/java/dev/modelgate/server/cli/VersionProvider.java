package dev.modelgate.server.cli;

import dev.modelgate.server.Modelgate;
import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"modelgate " + Modelgate.serverMetadata().version()};
    }
}
