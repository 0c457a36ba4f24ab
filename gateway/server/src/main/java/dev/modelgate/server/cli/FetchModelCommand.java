package dev.modelgate.server.cli;

import dev.modelgate.fetch.FetchException;
import dev.modelgate.fetch.FetchRequest;
import dev.modelgate.fetch.ModelFetcher;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The init container of a runtime pod (the controller's {@code WorkloadFactory} writes its
 * arguments): fetches the model before {@code modelgate runtime} starts, so the runtime only ever
 * reads a complete local directory. Failures are one line on stderr and an exit status that says
 * whom to call, never a stack trace: the line is what {@code kubectl describe pod} shows.
 */
@Command(name = "fetch-model", mixinStandardHelpOptions = true,
        description = "Fetches a model (file://, http(s)://, s3://; .tar.gz/.tgz/.zip unpacked) into a"
                + " directory, atomically. s3:// reads AWS_ENDPOINT_URL(_S3), AWS_REGION,"
                + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.",
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {
            "0:the model is in --dest",
            "1:the source could not be read or --dest written (network, store, disk)",
            "2:a bad flag, URI or AWS_* variable; pvc:// (mounted, not fetched)",
            "3:refused: checksum mismatch, or an entry, key or link leaving --dest"})
final class FetchModelCommand implements Callable<Integer> {
    private final Map<String, String> env;

    @Spec
    CommandSpec spec;

    @Option(names = "--uri", required = true, paramLabel = "URI",
            description = "Where the model is: file:///dir, https://host/model.tar.gz[#sha256=HEX], s3://bucket/prefix.")
    String uri;

    @Option(names = "--dest", required = true, paramLabel = "DIR",
            description = "The directory to create or replace, e.g. /mnt/models/iris/1.")
    String dest;

    @Option(names = "--sha256", paramLabel = "HEX",
            description = "The SHA-256 of the one file a file:// or http(s):// URI names.")
    String sha256;

    /** The process edge: picocli builds it, and it reads this process's environment. */
    FetchModelCommand() {
        this(System.getenv());
    }

    FetchModelCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            FetchRequest request = FetchRequest.of(uri, dest, sha256);
            Path fetched = ModelFetcher.create(env).fetch(request);
            spec.commandLine().getOut().println("modelgate: fetched " + request.display() + " into " + fetched);
            spec.commandLine().getOut().flush();
            return 0;
        } catch (FetchException e) {
            err.println("modelgate: fetch-model: " + e.getMessage());
            err.flush();
            return e.exitCode();
        } catch (RuntimeException e) {
            // a bug, not a user error: still one line, so the pod's last state stays readable
            err.println("modelgate: fetch-model: uri: " + uri + " (expected: fetched; unexpected "
                    + e.getClass().getName() + ": " + e.getMessage() + ")");
            err.flush();
            return FetchException.Kind.FAILED.exitCode();
        }
    }
}
