package dev.modelgate.runtime.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.modelgate.api.InferenceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The session settings a model's {@code options} may set, validated once with every problem
 * reported together. Absent settings keep ONNX Runtime's defaults.
 *
 * @param allowSpinning whether the intra-op pool's idle threads spin before they sleep: ONNX
 *     Runtime's default (on) buys latency with CPU, which a server whose request handling shares
 *     the cores (or a pod with a CPU limit) may not have to spare; empty: the default
 */
record SessionSettings(int intraOpThreads, int interOpThreads, Optional<OptLevel> optimizationLevel,
        Optional<Boolean> allowSpinning) {
    static final String INTRA_OP_THREADS = "intra-op-threads";
    static final String INTER_OP_THREADS = "inter-op-threads";
    static final String OPTIMIZATION_LEVEL = "optimization-level";
    static final String ALLOW_SPINNING = "allow-spinning";
    static final List<String> KEYS = List.of(INTRA_OP_THREADS, INTER_OP_THREADS, OPTIMIZATION_LEVEL,
            ALLOW_SPINNING);
    /** ONNX Runtime's session config key for {@link #allowSpinning}. */
    static final String ORT_ALLOW_SPINNING = "session.intra_op.allow_spinning";
    private static final Map<String, OptLevel> LEVELS = Map.of("disabled", OptLevel.NO_OPT,
            "basic", OptLevel.BASIC_OPT, "extended", OptLevel.EXTENDED_OPT, "all", OptLevel.ALL_OPT);
    private static final int MAX_THREADS = 1024;

    static final SessionSettings DEFAULTS = new SessionSettings(0, 0, Optional.empty(),
            Optional.empty());

    /**
     * @throws InferenceException INVALID_ARGUMENT naming every unknown key and bad value
     */
    static SessionSettings parse(Map<String, String> options) {
        List<String> problems = new ArrayList<>();
        for (String key : new TreeSet<>(options.keySet())) {
            if (!KEYS.contains(key)) {
                problems.add("options." + key + ": " + options.get(key) + " (expected one of " + KEYS + ")");
            }
        }
        int intra = threads(options, INTRA_OP_THREADS, problems);
        int inter = threads(options, INTER_OP_THREADS, problems);
        Optional<OptLevel> level = Optional.empty();
        String text = options.get(OPTIMIZATION_LEVEL);
        if (text != null) {
            level = Optional.ofNullable(LEVELS.get(text.trim().toLowerCase(Locale.ROOT)));
            if (level.isEmpty()) {
                problems.add("options." + OPTIMIZATION_LEVEL + ": " + text
                        + " (expected one of [disabled, basic, extended, all])");
            }
        }
        Optional<Boolean> spinning = Optional.empty();
        String spin = options.get(ALLOW_SPINNING);
        if (spin != null) {
            switch (spin.trim().toLowerCase(Locale.ROOT)) {
                case "true" -> spinning = Optional.of(true);
                case "false" -> spinning = Optional.of(false);
                default -> problems.add("options." + ALLOW_SPINNING + ": " + spin
                        + " (expected: true or false)");
            }
        }
        if (!problems.isEmpty()) {
            throw InferenceException.invalid(String.join("; ", problems));
        }
        return new SessionSettings(intra, inter, level, spinning);
    }

    /** Fresh session options with these settings; the caller closes them. */
    SessionOptions toSessionOptions() throws OrtException {
        SessionOptions options = new SessionOptions();
        try {
            if (intraOpThreads > 0) {
                options.setIntraOpNumThreads(intraOpThreads);
            }
            if (interOpThreads > 0) {
                options.setInterOpNumThreads(interOpThreads);
            }
            if (optimizationLevel.isPresent()) {
                options.setOptimizationLevel(optimizationLevel.get());
            }
            if (allowSpinning.isPresent()) {
                options.addConfigEntry(ORT_ALLOW_SPINNING, allowSpinning.get() ? "1" : "0");
            }
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    private static int threads(Map<String, String> options, String key, List<String> problems) {
        String text = options.get(key);
        if (text == null) {
            return 0;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= 0 && value <= MAX_THREADS) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add("options." + key + ": " + text + " (expected: an integer from 0 to " + MAX_THREADS
                + ", 0 for ONNX Runtime's default)");
        return 0;
    }
}
