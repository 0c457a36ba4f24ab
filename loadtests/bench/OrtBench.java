import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;

/**
 * In-process ONNX Runtime throughput, the ceiling the gateway is measured against: one session
 * with the gateway's settings, {@code threads} callers each running batches of {@code batch} rows
 * back to back for {@code seconds}. Prints {@code batch=<b> rows_per_s=<r> calls_per_s=<c>}.
 * Run as a single-file program: java -cp onnxruntime.jar OrtBench.java MODEL BATCH SECONDS THREADS
 */
public class OrtBench {
    public static void main(String[] args) throws Exception {
        String model = args[0];
        int batch = Integer.parseInt(args[1]);
        double seconds = Double.parseDouble(args[2]);
        int threads = Integer.parseInt(args[3]);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        try (OrtSession session = env.createSession(model, options)) {
            String input = session.getInputNames().iterator().next();
            long width = ((ai.onnxruntime.TensorInfo) session.getInputInfo().get(input).getInfo()).getShape()[1];
            float[] data = new float[(int) (batch * width)];
            Random random = new Random(42);
            for (int i = 0; i < data.length; i++) {
                data[i] = random.nextFloat() * 2 - 1;
            }
            run(env, session, input, data, batch, width, 1.0, threads);
            long calls = run(env, session, input, data, batch, width, seconds, threads);
            System.out.printf("batch=%d threads=%d rows_per_s=%.1f calls_per_s=%.1f%n", batch, threads,
                    calls * batch / seconds, calls / seconds);
        }
    }

    private static long run(OrtEnvironment env, OrtSession session, String input, float[] data, int batch,
            long width, double seconds, int threads) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long[] counts = new long[threads];
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int me = t;
            workers[t] = new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(data),
                                new long[] {batch, width}); OrtSession.Result result = session.run(Map.of(input, tensor))) {
                            counts[me]++;
                        }
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
}
