import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;

/**
 * In-process ONNX Runtime throughput, the ceiling the gateway is measured against: one session
 * with the gateway's settings, {@code threads} callers each running batches of {@code batch} rows
 * back to back for {@code seconds}. Prints {@code batch=<b> rows_per_s=<r> calls_per_s=<c>
 * p50_ms=<p> p99_ms=<q> mean_ms=<m>}: the figures are of one engine call (tensor in, run, result closed),
 * what batching.sh subtracts from a request's p50 to get the serving overhead.
 * Run as a single-file program:
 * java -cp onnxruntime.jar OrtBench.java MODEL BATCH SECONDS THREADS [INTRA_OP_THREADS [ALLOW_SPINNING]]
 * where the last two are the model's {@code intra-op-threads} (0: ONNX Runtime's default) and
 * {@code allow-spinning} ({@code true}, {@code false}, or {@code default}) in the server, so both
 * sides run the engine with the same session settings.
 */
public class OrtBench {
    public static void main(String[] args) throws Exception {
        String model = args[0];
        int batch = Integer.parseInt(args[1]);
        double seconds = Double.parseDouble(args[2]);
        int threads = Integer.parseInt(args[3]);
        int intraOpThreads = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        String spinning = args.length > 5 ? args[5] : "default";
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setInterOpNumThreads(1);
        if (intraOpThreads > 0) {
            options.setIntraOpNumThreads(intraOpThreads);
        }
        if (!spinning.equals("default")) {
            options.addConfigEntry("session.intra_op.allow_spinning", Boolean.parseBoolean(spinning) ? "1" : "0");
        }
        try (OrtSession session = env.createSession(model, options)) {
            String input = session.getInputNames().iterator().next();
            long width = ((ai.onnxruntime.TensorInfo) session.getInputInfo().get(input).getInfo()).getShape()[1];
            float[] data = new float[(int) (batch * width)];
            Random random = new Random(42);
            for (int i = 0; i < data.length; i++) {
                data[i] = random.nextFloat() * 2 - 1;
            }
            run(env, session, input, data, batch, width, 1.0, threads, new Samples(threads));
            Samples samples = new Samples(threads);
            long calls = run(env, session, input, data, batch, width, seconds, threads, samples);
            System.out.printf(java.util.Locale.ROOT,
                    "batch=%d threads=%d intra_op_threads=%d allow_spinning=%s rows_per_s=%.1f calls_per_s=%.1f"
                            + " p50_ms=%.4f p99_ms=%.4f mean_ms=%.4f%n",
                    batch, threads, intraOpThreads, spinning, calls * batch / seconds, calls / seconds,
                    samples.percentile(0.50) / 1e6, samples.percentile(0.99) / 1e6, samples.mean() / 1e6);
        }
    }

    private static long run(OrtEnvironment env, OrtSession session, String input, float[] data, int batch,
            long width, double seconds, int threads, Samples samples) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long[] counts = new long[threads];
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int me = t;
            workers[t] = new Thread(() -> {
                try {
                    long start;
                    while ((start = System.nanoTime()) < end) {
                        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(data),
                                new long[] {batch, width}); OrtSession.Result result = session.run(Map.of(input, tensor))) {
                            counts[me]++;
                        }
                        samples.add(me, System.nanoTime() - start);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            workers[t].start();
        }
        long total = 0;
        for (int t = 0; t < threads; t++) {
            workers[t].join();
            total += counts[t];
        }
        return total;
    }

    /** Per-call nanoseconds, one array per thread (no sharing on the measured path), capped. */
    private static final class Samples {
        private static final int MAX = 1 << 21;
        private final long[][] nanos;
        private final int[] sizes;

        Samples(int threads) {
            nanos = new long[threads][MAX];
            sizes = new int[threads];
        }

        void add(int thread, long value) {
            if (sizes[thread] < MAX) {
                nanos[thread][sizes[thread]++] = value;
            }
        }

        double mean() {
            long sum = 0;
            int total = 0;
            for (int t = 0; t < sizes.length; t++) {
                for (int i = 0; i < sizes[t]; i++) {
                    sum += nanos[t][i];
                }
                total += sizes[t];
            }
            return total == 0 ? 0 : (double) sum / total;
        }

        double percentile(double p) {
            int total = 0;
            for (int size : sizes) {
                total += size;
            }
            if (total == 0) {
                return Double.NaN;
            }
            long[] all = new long[total];
            int at = 0;
            for (int t = 0; t < sizes.length; t++) {
                System.arraycopy(nanos[t], 0, all, at, sizes[t]);
                at += sizes[t];
            }
            java.util.Arrays.sort(all);
            int index = Math.max(0, (int) Math.ceil(p * total) - 1);
            return all[Math.min(total - 1, index)];
        }
    }
}
