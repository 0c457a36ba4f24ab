package dev.modelgate.controller.reconcile;

import static dev.modelgate.controller.reconcile.Fixtures.runtime;
import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.controller.crd.ClusterModelRuntime;
import dev.modelgate.controller.crd.ModelFormat;
import dev.modelgate.controller.crd.ModelSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuntimeSelectorTest {

    private static ModelSpec model(String format, String version, String runtime) {
        return new ModelSpec(new ModelFormat(format, version), "s3://m/1", runtime, null);
    }

    private static String chosen(ModelSpec model, List<ClusterModelRuntime> runtimes) {
        RuntimeSelector.Choice choice = RuntimeSelector.choose(model, runtimes);
        return choice.found() ? choice.runtime().getMetadata().getName() : choice.problem();
    }

    @Test
    void theFormatPicksTheRuntimeAndTheHighestPriorityWins() {
        List<ClusterModelRuntime> runtimes = List.of(runtime("onnx-a", "onnx", 1, true),
                runtime("onnx-b", "onnx", 5, true), runtime("torch", "pytorch", 9, true));

        assertThat(chosen(model("onnx", "1", null), runtimes)).isEqualTo("onnx-b");
        assertThat(chosen(model("pytorch", null, null), runtimes)).isEqualTo("torch");
        assertThat(chosen(model("ONNX", "1.14", null), runtimes)).as("a runtime's 1 serves 1.14").isEqualTo("onnx-b");
    }

    @Test
    void equalPrioritiesAreOrderedByNameSoTheChoiceIsStable() {
        assertThat(chosen(model("onnx", "1", null), List.of(runtime("zeta", "onnx", 2, true),
                runtime("alpha", "onnx", 2, true)))).isEqualTo("alpha");
    }

    @Test
    void aRuntimeThatDoesNotAutoSelectIsOnlyUsedWhenNamed() {
        List<ClusterModelRuntime> runtimes = List.of(runtime("manual", "onnx", 9, false),
                runtime("auto", "onnx", 1, true));

        assertThat(chosen(model("onnx", "1", null), runtimes)).isEqualTo("auto");
        assertThat(chosen(model("onnx", "1", "manual"), runtimes)).isEqualTo("manual");
    }

    @Test
    void noSupportingRuntimeSaysWhatWasAskedFor() {
        List<ClusterModelRuntime> runtimes = List.of(runtime("onnx", "onnx", 1, true));

        assertThat(chosen(model("tensorflow", "2", null), runtimes)).isEqualTo(
                "model.format: tensorflow:2 (expected: a format that an enabled ClusterModelRuntime auto-selects)");
        assertThat(chosen(model("onnx", "2", null), runtimes)).startsWith("model.format: onnx:2");
        assertThat(chosen(model("onnx", "1", "missing"), runtimes))
                .isEqualTo("model.runtime: missing (expected: the name of an enabled ClusterModelRuntime)");
        assertThat(chosen(model("pytorch", "1", "onnx"), runtimes))
                .isEqualTo("model.runtime: onnx (expected: a runtime that supports pytorch:1)");
    }

    @Test
    void aDisabledRuntimeIsNeverChosen() {
        ClusterModelRuntime disabled = runtime("off", "onnx", 9, true);
        var s = disabled.getSpec();
        disabled.setSpec(new dev.modelgate.controller.crd.ClusterModelRuntimeSpec(s.image(), s.engine(),
                s.supportedModelFormats(), s.protocolVersions(), null, null, null, null, true));

        assertThat(chosen(model("onnx", "1", null), List.of(disabled, runtime("on", "onnx", 1, true))))
                .isEqualTo("on");
        assertThat(chosen(model("onnx", "1", "off"), List.of(disabled))).startsWith("model.runtime: off");
    }
}
