package dev.modelgate.controller.reconcile;

import dev.modelgate.controller.crd.ClusterModelRuntime;
import dev.modelgate.controller.crd.ClusterModelRuntimeSpec.SupportedModelFormat;
import dev.modelgate.controller.crd.ModelSpec;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Chooses the ClusterModelRuntime for a model, following KServe's {@code GetSupportingRuntimes}: a named runtime
 * must exist, be enabled and support the format; otherwise the enabled runtimes that auto-select the format (and
 * speak the protocol, when both say) are ordered by priority, highest first, then by name so the choice is stable.
 */
final class RuntimeSelector {

    private RuntimeSelector() {
    }

    /** The chosen runtime, or why there is none. */
    record Choice(ClusterModelRuntime runtime, String problem) {

        boolean found() {
            return runtime != null;
        }
    }

    static Choice choose(ModelSpec model, List<ClusterModelRuntime> runtimes) {
        if (model.runtime() != null) {
            return named(model, runtimes);
        }
        Comparator<Ranked> byPriority = Comparator.comparingInt(Ranked::priority).reversed();
        Optional<ClusterModelRuntime> best = runtimes.stream()
                .filter(RuntimeSelector::enabled)
                .filter(r -> speaks(r, model.protocolVersion()))
                .flatMap(r -> supported(r, model).filter(f -> Boolean.TRUE.equals(f.autoSelect()))
                        .map(f -> new Ranked(r, f.priority() == null ? 0 : f.priority())).stream())
                .sorted(byPriority.thenComparing(ranked -> ranked.runtime().getMetadata().getName()))
                .map(Ranked::runtime)
                .findFirst();
        return best.map(r -> new Choice(r, null)).orElseGet(() -> new Choice(null,
                "model.format: " + describe(model) + " (expected: a format that an enabled ClusterModelRuntime"
                        + " auto-selects)"));
    }

    private static Choice named(ModelSpec model, List<ClusterModelRuntime> runtimes) {
        Optional<ClusterModelRuntime> runtime = runtimes.stream()
                .filter(r -> r.getMetadata().getName().equals(model.runtime())).findFirst();
        if (runtime.isEmpty() || !enabled(runtime.get())) {
            return new Choice(null, "model.runtime: " + model.runtime()
                    + " (expected: the name of an enabled ClusterModelRuntime)");
        }
        if (supported(runtime.get(), model).isEmpty()) {
            return new Choice(null, "model.runtime: " + model.runtime() + " (expected: a runtime that supports "
                    + describe(model) + ")");
        }
        return new Choice(runtime.get(), null);
    }

    private record Ranked(ClusterModelRuntime runtime, int priority) {
    }

    private static boolean enabled(ClusterModelRuntime runtime) {
        return runtime.getSpec() != null && !Boolean.TRUE.equals(runtime.getSpec().disabled());
    }

    private static boolean speaks(ClusterModelRuntime runtime, String protocol) {
        List<String> protocols = runtime.getSpec().protocolVersions();
        return protocol == null || protocols == null || protocols.isEmpty() || protocols.contains(protocol);
    }

    private static Optional<SupportedModelFormat> supported(ClusterModelRuntime runtime, ModelSpec model) {
        List<SupportedModelFormat> formats = runtime.getSpec().supportedModelFormats();
        if (formats == null) {
            return Optional.empty();
        }
        return formats.stream()
                .filter(f -> f.name().equalsIgnoreCase(model.format().name()))
                .filter(f -> versionMatches(f.version(), model.format().version()))
                .findFirst();
    }

    /** A runtime's "1" serves a model's "1", "1.2" and "1.2.3"; a missing version on either side matches all. */
    static boolean versionMatches(String runtimeVersion, String modelVersion) {
        if (runtimeVersion == null || modelVersion == null) {
            return true;
        }
        return modelVersion.equals(runtimeVersion) || modelVersion.startsWith(runtimeVersion + ".");
    }

    private static String describe(ModelSpec model) {
        String version = model.format().version();
        return model.format().name() + (version == null ? "" : ":" + version);
    }
}
