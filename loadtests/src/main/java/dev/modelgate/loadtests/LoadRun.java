package dev.modelgate.loadtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;

/**
 * One run from validated settings to report: build the request, open the transport (HTTP or
 * gRPC), drive it open or closed loop, and summarise.
 */
final class LoadRun {
    private LoadRun() {
    }

    static LoadReport execute(LoadConfig config, Clock clock) throws InterruptedException {
        RequestPayload payload = payload(config);
        return report(config, payload, drive(config, payload, clock).results());
    }

    /** Sends {@code payload} as {@code config} says and returns the recorder once every request has ended. */
    static LatencyRecorder drive(LoadConfig config, RequestPayload payload, Clock clock) throws InterruptedException {
        LatencyRecorder recorder;
        try (Transport transport = transport(config, payload, clock)) {
            recorder = config.openLoop()
                    ? new OpenLoopDriver(clock, transport, ArrivalSchedule.withWarmup(config.schedule(),
                            config.warmupNanos()), config.limits()).run()
                    : new ClosedLoopDriver(clock, transport, config.concurrency(), config.warmupNanos(),
                            config.limits()).run();
        }
        return recorder;
    }

    private static Transport transport(LoadConfig config, RequestPayload payload, Clock clock) {
        return config.protocol() == LoadConfig.Protocol.GRPC
                ? GrpcTransport.create(clock, config.target(), payload, config.connections(), config.splitHeader(),
                        config.keyHeader())
                : NettyTransport.create(clock, config.target(), payload, config.connections(), config.splitHeader(),
                        config.keyHeader());
    }

    static RequestPayload payload(LoadConfig config) {
        boolean grpc = config.protocol() == LoadConfig.Protocol.GRPC;
        if (config.input() != null) {
            byte[] json;
            try {
                json = Files.readAllBytes(config.input());
            } catch (IOException e) {
                throw new UncheckedIOException("input: " + config.input(), e);
            }
            return grpc ? GrpcPayloads.fromJson(config.model(), json)
                    : InferencePayloads.fromJson(config.model(), json, config.binary());
        }
        if (grpc) {
            return GrpcPayloads.generated(config.model(),
                    GrpcMetadataClient.fetch(config.target(), config.model(), Duration.ofSeconds(10)),
                    config.batch(), config.seed());
        }
        return InferencePayloads.generated(config.model(),
                MetadataClient.fetch(config.target(), config.model(), Duration.ofSeconds(10)),
                config.batch(), config.seed(), config.binary());
    }

    static LoadReport report(LoadConfig config, RequestPayload payload, LatencyRecorder.Results r) {
        long notSent = r.errors().getOrDefault(Outcome.Failure.NOT_SENT.label(), 0L);
        long intended = r.sends() + notSent;
        double window = Math.max(r.elapsedSeconds(), config.limits().durationNanos() / 1e9);
        double elapsed = Math.max(r.elapsedSeconds(), 1e-9);
        double offered = config.openLoop() ? intended / Math.max(window, 1e-9) : r.sends() / elapsed;
        String schedule = config.openLoop() ? config.schedule().describe()
                : "closed loop, concurrency " + config.concurrency();
        return new LoadReport(config.target().toString(), config.model(), config.openLoop() ? "open" : "closed",
                schedule, config.connections(), payload.description(), r.elapsedSeconds(), intended, r.sends(),
                r.responses(), r.succeeded(), offered, r.responses() / elapsed, r.latency(), r.errors(),
                r.lateness(), config.splitHeader(), r.split(), r.timeline(), r.distribution());
    }
}
