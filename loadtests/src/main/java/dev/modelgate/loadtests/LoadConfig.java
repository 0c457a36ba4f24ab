package dev.modelgate.loadtests;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One run's settings, validated once; every problem is reported together, each as
 * {@code option: value (expected: constraint)}.
 *
 * @param target the base URL, always a loopback host
 * @param protocol how requests travel: OIP REST over HTTP/1.1, or OIP gRPC
 * @param model the model name
 * @param schedule the arrival schedule of an open loop, or {@code null} for a closed loop
 * @param concurrency workers of a closed loop, 0 for an open loop
 * @param connections the most connections to open (gRPC: the channels, each one multiplexed connection)
 * @param input a file holding a whole {@code $inference_request}, or {@code null} to generate one
 * @param batch the size put for each -1 dimension of generated inputs
 * @param binary whether to send tensors with the binary tensor extension
 * @param jsonReport where to write the JSON report, or {@code null}
 * @param htmlReport where to write the HTML report, or {@code null}
 * @param splitHeader the response header to split answers by
 * @param keyHeader a request header (gRPC: metadata key) given a distinct value per request, so that a
 *        gateway splitting by {@code routing-key: {header: ...}} routes from headers alone; or {@code null}
 * @param warmupNanos unmeasured lead-in
 * @param limits the bounds of the run
 * @param seed seed of the generated data
 */
record LoadConfig(URI target, Protocol protocol, String model, ArrivalSchedule schedule, int concurrency, int connections, Path input,
        int batch, boolean binary, Path jsonReport, Path htmlReport, String splitHeader, String keyHeader,
        long warmupNanos, RunLimits limits, long seed) {

    static final int DEFAULT_OPEN_CONNECTIONS = 64;
    /** gRPC multiplexes calls on each connection; a few connections spread them over the server's I/O threads. */
    static final int DEFAULT_GRPC_CHANNELS = 4;
    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** What grpc-java accepts as a metadata key (it lowercases the name first). */
    private static final Pattern GRPC_KEY = Pattern.compile("[0-9A-Za-z_.-]+");
    /**
     * Headers the transports set themselves (HTTP/1.1 and HTTP/2 framing, the binary extension);
     * a key header of one of these names would break the request or be dropped silently.
     */
    private static final Set<String> OWN_HEADERS = Set.of("host", "content-type", "content-length", "connection",
            "transfer-encoding", "te", "user-agent",
            RequestPayload.INFERENCE_HEADER_CONTENT_LENGTH.toLowerCase(Locale.ROOT));
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    /** How requests travel. */
    enum Protocol {
        HTTP, GRPC
    }

    boolean openLoop() {
        return schedule != null;
    }

    /**
     * What the caller typed; {@code null} means not given.
     */
    record Options(String url, String model, Double rate, String schedule, Integer concurrency, Integer connections,
            Path input, Integer batch, boolean binary, Path json, Path html, String splitHeader, String warmup,
            Long requests, String duration, String timeout, Integer maxOutstanding, Long seed, String protocol,
            String keyHeader) {
    }

    /** Validates {@code options}, reporting every problem at once. */
    static LoadConfig from(Options o) {
        List<String> problems = new ArrayList<>();
        Protocol protocol = protocol(o.protocol(), o.url(), problems);
        URI target = target(o.url(), protocol, problems);
        if (o.model() == null || !MODEL_NAME.matcher(o.model()).matches()) {
            problems.add("model: " + o.model() + " (expected: a model name of letters, digits, '.', '_', '-')");
        }
        long duration = duration("duration", o.duration(), 0, problems);
        long requests = o.requests() == null ? 0 : o.requests();
        if (o.duration() == null && o.requests() == null) {
            problems.add("requests, duration: neither given (expected: --requests N, --duration 30s or both)");
        }
        if (o.requests() != null && o.requests() < 1) {
            problems.add("requests: " + o.requests() + " (expected: >= 1)");
        }
        if (o.duration() != null && duration == 0) {
            problems.add("duration: " + o.duration() + " (expected: > 0)");
        }
        long warmup = duration("warmup", o.warmup(), 0, problems);
        long timeout = duration("timeout", o.timeout(), 10_000_000_000L, problems);
        if (timeout == 0) {
            problems.add("timeout: " + o.timeout() + " (expected: > 0)");
        }
        ArrivalSchedule schedule = null;
        int concurrency = 0;
        if (o.concurrency() != null) {
            concurrency = o.concurrency();
            if (concurrency < 1) {
                problems.add("concurrency: " + concurrency + " (expected: >= 1)");
            }
            if (o.rate() != null || o.schedule() != null) {
                problems.add("concurrency: " + concurrency + " (expected: not with --rate or --schedule; "
                        + "--concurrency runs a closed loop)");
            }
        } else {
            schedule = ScheduleSpec.parse(o.schedule(), o.rate(), duration, problems);
        }
        boolean grpc = protocol == Protocol.GRPC;
        int connections = o.connections() != null ? o.connections()
                : grpc ? DEFAULT_GRPC_CHANNELS : concurrency > 0 ? concurrency : DEFAULT_OPEN_CONNECTIONS;
        if (connections < 1) {
            problems.add("connections: " + connections + " (expected: >= 1)");
        } else if (!grpc && concurrency > 0 && connections < concurrency) {
            problems.add("connections: " + connections + " (expected: >= concurrency " + concurrency + ")");
        }
        if (o.input() != null) {
            if (!Files.isReadable(o.input())) {
                problems.add("input: " + o.input() + " (expected: a readable file)");
            }
            if (o.batch() != null) {
                problems.add("batch: " + o.batch() + " (expected: not with --input; the file fixes the shapes)");
            }
        }
        int batch = o.batch() == null ? 1 : o.batch();
        if (batch < 1) {
            problems.add("batch: " + batch + " (expected: >= 1)");
        }
        String splitHeader = o.splitHeader() == null ? "x-modelgate-revision" : o.splitHeader();
        if (!HEADER_NAME.matcher(splitHeader).matches()) {
            problems.add("split-header: " + splitHeader + " (expected: an HTTP header name)");
        } else if (grpc && splitHeader.toLowerCase(Locale.ROOT).endsWith("-bin")) {
            problems.add("split-header: " + splitHeader + " (expected: a text header; gRPC -bin headers are binary)");
        }
        keyHeader(o.keyHeader(), grpc, problems);
        if (grpc && o.binary()) {
            problems.add("binary: true (expected: not with gRPC, which always sends raw_input_contents)");
        }
        int maxOutstanding = o.maxOutstanding() == null ? 10_000 : o.maxOutstanding();
        if (maxOutstanding < 1) {
            problems.add("max-outstanding: " + maxOutstanding + " (expected: >= 1)");
        }
        if (!problems.isEmpty()) {
            throw new LoadTestException.Usage(String.join("\n", problems));
        }
        RunLimits limits = new RunLimits(requests, duration, timeout, maxOutstanding, 1_000_000L);
        return new LoadConfig(target, protocol, o.model(), schedule, concurrency, connections, o.input(), batch, o.binary(),
                o.json(), o.html(), splitHeader, o.keyHeader(), warmup, limits, o.seed() == null ? 42 : o.seed());
    }

    private static void keyHeader(String name, boolean grpc, List<String> problems) {
        if (name == null) {
            return;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (!HEADER_NAME.matcher(name).matches()) {
            problems.add("key-header: " + name + " (expected: an HTTP header name)");
        } else if (OWN_HEADERS.contains(lower)) {
            problems.add("key-header: " + name + " (expected: a header the generator does not set itself, not one of "
                    + new TreeSet<>(OWN_HEADERS) + ")");
        } else if (grpc && (!GRPC_KEY.matcher(name).matches() || lower.endsWith("-bin")
                || lower.startsWith("grpc-"))) {
            problems.add("key-header: " + name + " (expected: a gRPC text metadata key of letters, digits, '_', '-',"
                    + " '.', not ending in -bin nor starting with grpc-)");
        }
    }

    /** {@code --protocol} if given, else the URL's scheme ({@code grpc://} means gRPC). */
    private static Protocol protocol(String protocol, String url, List<String> problems) {
        if (protocol == null) {
            return url != null && url.regionMatches(true, 0, "grpc://", 0, 7) ? Protocol.GRPC : Protocol.HTTP;
        }
        try {
            return Protocol.valueOf(protocol.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add("protocol: " + protocol + " (expected: http or grpc)");
            return Protocol.HTTP;
        }
    }

    private static URI target(String url, Protocol protocol, List<String> problems) {
        if (url == null) {
            problems.add("url: null (expected: http://127.0.0.1:PORT or grpc://127.0.0.1:PORT)");
            return null;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            problems.add("url: " + url + " (expected: a URL such as http://127.0.0.1:8080)");
            return null;
        }
        boolean grpcScheme = "grpc".equalsIgnoreCase(uri.getScheme());
        if (protocol == Protocol.GRPC) {
            if (!grpcScheme && !"http".equalsIgnoreCase(uri.getScheme())) {
                problems.add("url: " + url + " (expected: scheme grpc or http)");
            }
            if (uri.getPort() < 1) {
                problems.add("url: " + url + " (expected: a port, e.g. grpc://127.0.0.1:8081)");
            }
        } else if (grpcScheme) {
            problems.add("url: " + url + " (expected: scheme http with --protocol http)");
        } else if (!"http".equalsIgnoreCase(uri.getScheme())) {
            problems.add("url: " + url + " (expected: scheme http)");
        }
        if (!isLoopback(uri.getHost())) {
            problems.add("url: " + url + " (expected: a loopback host, 127.0.0.1, localhost or [::1]; "
                    + "modelgate-load refuses other hosts as a safety rule)");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            problems.add("url: " + url + " (expected: no path; the model path is built from --model)");
        }
        return uri;
    }

    /**
     * Whether {@code host} names this machine without asking a resolver: {@code localhost}, an
     * IPv4 literal in 127.0.0.0/8, or the IPv6 loopback.
     */
    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
            return true;
        }
        var m = IPV4.matcher(h);
        if (!m.matches()) {
            return false;
        }
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(m.group(i)) > 255) {
                return false;
            }
        }
        return m.group(1).equals("127");
    }

    static long duration(String option, String text, long fallback, List<String> problems) {
        if (text == null) {
            return fallback;
        }
        long nanos = Durations.parseNanos(text);
        if (nanos < 0) {
            problems.add(option + ": " + text + " (expected: a duration such as 500ms, 10s, 2m)");
            return fallback;
        }
        return nanos;
    }
}
