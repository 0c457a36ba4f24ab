package dev.modelgate.rollout.config;

import dev.modelgate.rollout.judge.JudgeConfig;
import dev.modelgate.rollout.judge.MetricSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inverse of {@link RolloutConfigReader}: a config as the plain values it was read from, for
 * the admin API to show and for a driver to store beside the state. Steps are written in the
 * explicit form, which every Flagger-style config also has; unset shadow limits are left out.
 */
final class RolloutConfigWriter {
    private RolloutConfigWriter() {
    }

    static Map<String, Object> write(RolloutConfig config) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("baseline", config.baseline());
        map.put("candidate", config.candidate());
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Step step : config.steps()) {
            steps.add(ordered("weight", step.weight(), "hold", ConfigValues.format(step.hold())));
        }
        map.put("steps", steps);
        config.shadow().ifPresent(s -> map.put("shadow", ordered("hold", ConfigValues.format(s.hold()))));
        config.header().ifPresent(h -> map.put("header", ordered("name", h.name(), "value", h.value(),
                "hold", ConfigValues.format(h.hold()))));
        map.put("judge", judge(config.judge()));
        List<Map<String, Object>> webhooks = new ArrayList<>();
        for (WebhookSpec hook : config.webhooks()) {
            Map<String, Object> entry = ordered("name", hook.name(), "type", hook.type().key(),
                    "url", hook.url().toString(), "timeout", ConfigValues.format(hook.timeout()),
                    "retries", hook.retries());
            entry.put("metadata", new LinkedHashMap<>(hook.metadata()));
            webhooks.add(entry);
        }
        map.put("webhooks", webhooks);
        return map;
    }

    private static Map<String, Object> judge(JudgeConfig judge) {
        Map<String, Object> map = ordered("min-samples", judge.minSamples(),
                "max-extensions", judge.maxExtensions(), "alpha", judge.alpha(),
                "latency-tolerance", judge.latencyTolerance(), "error-ceiling", judge.errorCeiling());
        Map<String, Object> shadow = ordered("min-agreement", judge.minAgreement());
        if (!Double.isNaN(judge.maxAbsDiff())) {
            shadow.put("max-abs-diff", judge.maxAbsDiff());
        }
        if (!Double.isNaN(judge.maxRelDiff())) {
            shadow.put("max-rel-diff", judge.maxRelDiff());
        }
        map.put("shadow", shadow);
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (MetricSpec metric : judge.metrics()) {
            metrics.add(ordered("name", metric.name(), "query", metric.query(),
                    "threshold", metric.threshold(), "direction", metric.direction().key()));
        }
        map.put("metrics", metrics);
        return map;
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
