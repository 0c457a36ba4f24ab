package dev.modelgate.loadtests;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code modelgate-load}: the command line, and the only composition root of this module.
 * Exit status 0 after a completed run, 2 for bad usage, 1 when the run could not be made.
 */
@Command(name = "modelgate-load", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Open-loop HTTP and gRPC load generator for Open Inference Protocol endpoints on this machine.",
            "Latency is measured from each request's intended send time, so stalls are not hidden.",
            "Give --requests, --duration or both."})
public final class ModelgateLoad implements Callable<Integer> {
    static final int EXIT_USAGE = 2;
    static final int EXIT_FAILED = 1;

    @Option(names = "--url", required = true, description = "Target base URL, loopback only, e.g. http://127.0.0.1:8080"
            + " or grpc://127.0.0.1:8081")
    String url;
    @Option(names = "--protocol", description = "http (OIP REST) or grpc (OIP gRPC ModelInfer); default: from the URL")
    String protocol;
    @Option(names = "--model", required = true, description = "Model name")
    String model;
    @Option(names = "--rate", description = "Requests per second (constant schedule)")
    Double rate;
    @Option(names = "--schedule", description = "constant | ramp:FROM:TO[:OVER] | step:R1,R2,...:EVERY"
            + " | spike:BASE:PEAK:AT:LEN (default: constant)")
    String schedule;
    @Option(names = "--concurrency", description = "Closed loop with N workers instead of an arrival schedule")
    Integer concurrency;
    @Option(names = "--connections", description = "Most connections to open (default: 64, or the concurrency)")
    Integer connections;
    @Option(names = "--input", description = "File holding a whole $inference_request body")
    Path input;
    @Option(names = "--batch", description = "Size for each -1 dimension of generated inputs (default: 1)")
    Integer batch;
    @Option(names = "--binary", description = "Send tensors with the binary tensor extension")
    boolean binary;
    @Option(names = "--requests", description = "Measured requests to send")
    Long requests;
    @Option(names = "--duration", description = "Length of the measured run, e.g. 30s")
    String duration;
    @Option(names = "--warmup", description = "Unmeasured lead-in at the initial rate, e.g. 2s (default: 0s)")
    String warmup;
    @Option(names = "--timeout", description = "Request timeout from its intended send time (default: 10s)")
    String timeout;
    @Option(names = "--max-outstanding", description = "Cap on requests in flight; more count as not-sent (default: 10000)")
    Integer maxOutstanding;
    @Option(names = "--split-header", description = "Response header to split answers by (default: x-modelgate-revision)")
    String splitHeader;
    @Option(names = "--key-header", description = "Request header (gRPC: metadata) given a distinct value per request,"
            + " e.g. the header of a routing-key: {header: NAME} split (default: none)")
    String keyHeader;
    @Option(names = "--seed", description = "Seed of generated input data (default: 42)")
    Long seed;
    @Option(names = "--json", description = "Write the report as JSON to FILE")
    Path json;
    @Option(names = "--html", description = "Write a self-contained HTML report to FILE")
    Path html;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8), args));
    }

    /** Runs the command with the given streams and returns its exit status. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new ModelgateLoad());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof LoadTestException.Usage) {
                line.getErr().println("modelgate-load: bad usage:");
                for (String problem : e.getMessage().split("\n")) {
                    line.getErr().println("  " + problem);
                }
                line.getErr().println("Try 'modelgate-load --help'.");
                return EXIT_USAGE;
            }
            line.getErr().println("modelgate-load: " + e.getMessage());
            return EXIT_FAILED;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        LoadConfig config = LoadConfig.from(new LoadConfig.Options(url, model, rate, schedule, concurrency,
                connections, input, batch, binary, json, html, splitHeader, warmup, requests, duration, timeout,
                maxOutstanding, seed, protocol, keyHeader));
        LoadReport report = LoadRun.execute(config, Clock.system());
        PrintWriter out = spec.commandLine().getOut();
        out.print(ConsoleReport.render(report));
        write(config.jsonReport(), JsonReport.render(report), out);
        write(config.htmlReport(), HtmlReport.render(report), out);
        out.flush();
        return 0;
    }

    private static void write(Path file, String content, PrintWriter out) throws IOException {
        if (file == null) {
            return;
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, content, StandardCharsets.UTF_8);
        out.println("  wrote " + file);
    }
}
