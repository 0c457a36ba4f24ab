package dev.modelgate.runtime.testkit;

import java.time.Duration;

/**
 * A parsed {@code model.fake}: names, shapes, row-major W of {@code [features, units]}, b, a delay
 * per call and how often a call fails ({@code failEvery}: every Nth, 0 never).
 */
record FakeModelSpec(String input, String output, String reluOutput, int features, int units,
        float[] weights, float[] bias, Duration delay, int failEvery) {
    FakeModelSpec {
        weights = weights.clone();
        bias = bias.clone();
    }

    /** {@code x·W + b} for row-major rows. */
    float[] affine(float[] rows) {
        int count = rows.length / features;
        float[] out = new float[count * units];
        for (int r = 0; r < count; r++) {
            for (int u = 0; u < units; u++) {
                float sum = bias[u];
                for (int f = 0; f < features; f++) {
                    sum += rows[r * features + f] * weights[f * units + u];
                }
                out[r * units + u] = sum;
            }
        }
        return out;
    }
}
