package dev.modelgate.examples.models;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a synthetic MLP: {@code depth} hidden layers of {@code hiddenWidth} units (GEMM then
 * ReLU) over an input of {@code inputWidth} columns, then a linear layer of {@code outputWidth}
 * units. Weights come from {@code seed}, so one spec always gives the same model.
 */
public record MlpSpec(int inputWidth, int depth, int hiddenWidth, int outputWidth, long seed) {
    /** Four hidden layers of 1024 over 1024 inputs, 16 outputs, seed 42: about 4.2 million multiply-adds per row. */
    public static final MlpSpec DEFAULT = new MlpSpec(1024, 4, 1024, 16, 42);

    public MlpSpec {
        List<String> problems = new ArrayList<>();
        check(problems, "input-width", inputWidth);
        check(problems, "depth", depth);
        check(problems, "hidden-width", hiddenWidth);
        check(problems, "output-width", outputWidth);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** The same spec with another depth and hidden width. */
    public MlpSpec withLayers(int newDepth, int newHiddenWidth) {
        return new MlpSpec(inputWidth, newDepth, newHiddenWidth, outputWidth, seed);
    }

    private static void check(List<String> problems, String name, int value) {
        if (value < 1) {
            problems.add(name + ": " + value + " (expected: at least 1)");
        }
    }
}
