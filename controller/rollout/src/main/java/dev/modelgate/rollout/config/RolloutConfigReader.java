package dev.modelgate.rollout.config;

import dev.modelgate.rollout.judge.Judge;
import dev.modelgate.rollout.judge.JudgeConfig;
import dev.modelgate.rollout.judge.MetricSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a {@link RolloutConfig} from plain values in one pass: every key is read even after a
 * problem, with a fallback, so the exception lists all the mistakes of a file at once.
 */
final class RolloutConfigReader {
    static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    private static final Set<String> KEYS = Set.of("baseline", "candidate", "step-weight",
            "max-weight", "interval", "steps", "shadow", "header", "judge", "webhooks");

    private RolloutConfigReader() {
    }

    static RolloutConfig read(Map<String, ?> map) {
        List<String> problems = new ArrayList<>();
        ConfigValues values = new ConfigValues(map, problems, "");
        values.rejectUnknown(KEYS);
        String baseline = values.string("baseline", "baseline", true);
        String candidate = values.string("candidate", "candidate", true);
        List<Step> steps = steps(values);
        Optional<ShadowPhase> shadow = values.has("shadow") ? Optional.of(shadow(values.child("shadow")))
                : Optional.empty();
        Optional<HeaderPhase> header = values.has("header") ? Optional.of(header(values.child("header")))
                : Optional.empty();
        JudgeConfig judge = judge(values.child("judge"));
        List<WebhookSpec> webhooks = webhooks(values);
        if (!problems.isEmpty()) {
            throw new RolloutConfigException(problems);
        }
        return new RolloutConfig(baseline, candidate, steps, shadow, header, judge, webhooks);
    }

    private static List<Step> steps(ConfigValues values) {
        boolean flagger = values.has("step-weight") || values.has("max-weight");
        if (flagger && values.has("steps")) {
            values.problem("steps", values.raw("steps"),
                    "either steps or step-weight/max-weight/interval, not both");
            return List.of(new Step(100, DEFAULT_INTERVAL));
        }
        if (!flagger) {
            return explicitSteps(values);
        }
        long stepWeight = values.integer("step-weight", 10, 1, 100);
        long maxWeight = values.integer("max-weight", 100, 1, 100);
        Duration interval = values.duration("interval", DEFAULT_INTERVAL);
        if (!values.has("step-weight")) {
            values.problem("step-weight", null, "an integer in [1, 100] with max-weight");
        }
        List<Step> steps = new ArrayList<>();
        for (long weight = stepWeight; weight < maxWeight; weight += stepWeight) {
            steps.add(new Step((int) weight, interval));
        }
        steps.add(new Step((int) maxWeight, interval));
        return steps;
    }

    private static List<Step> explicitSteps(ConfigValues values) {
        List<ConfigValues> children = values.children("steps");
        if (children.isEmpty()) {
            values.problem("steps", values.raw("steps"),
                    "a list of {weight, hold}, or step-weight/max-weight/interval");
            return List.of(new Step(100, DEFAULT_INTERVAL));
        }
        List<Step> steps = new ArrayList<>();
        int previous = 0;
        for (ConfigValues child : children) {
            child.rejectUnknown(Set.of("weight", "hold"));
            int weight = (int) child.integer("weight", previous + 1, 1, 100);
            if (!child.has("weight")) {
                child.problem("weight", null, "an integer in [1, 100]");
            }
            if (child.has("weight") && weight <= previous) {
                child.problem("weight", weight, "more than the previous step's " + previous);
            }
            Duration hold = child.duration("hold", DEFAULT_INTERVAL);
            if (!child.has("hold")) {
                child.problem("hold", null, "a positive duration such as 30s or 5m");
            }
            previous = Math.min(100, Math.max(previous + 1, weight));
            steps.add(new Step(previous, hold));
        }
        return steps;
    }

    private static ShadowPhase shadow(ConfigValues shadow) {
        shadow.rejectUnknown(Set.of("hold"));
        if (!shadow.has("hold")) {
            shadow.problem("hold", null, "a positive duration such as 5m");
        }
        return new ShadowPhase(shadow.duration("hold", DEFAULT_INTERVAL));
    }

    private static HeaderPhase header(ConfigValues header) {
        header.rejectUnknown(Set.of("name", "value", "hold"));
        String name = header.string("name", "x-canary", true);
        if (!name.equals(name.toLowerCase(java.util.Locale.ROOT))) {
            header.problem("name", name, "a lower-case header name");
        }
        String value = header.string("value", "true", true);
        if (!header.has("hold")) {
            header.problem("hold", null, "a positive duration such as 5m");
        }
        return new HeaderPhase(name, value, header.duration("hold", DEFAULT_INTERVAL));
    }

    private static JudgeConfig judge(ConfigValues judge) {
        judge.rejectUnknown(Set.of("min-samples", "max-extensions", "alpha", "latency-tolerance",
                "error-ceiling", "shadow", "metrics"));
        JudgeConfig defaults = JudgeConfig.defaults();
        long minSamples = judge.integer("min-samples", defaults.minSamples(), 1, Long.MAX_VALUE);
        int maxExtensions = (int) judge.integer("max-extensions", defaults.maxExtensions(), 0, 1000);
        double alpha = judge.number("alpha", defaults.alpha(), Double.MIN_VALUE, 0.5,
                "a number in (0, 0.5]");
        double tolerance = judge.number("latency-tolerance", defaults.latencyTolerance(), 0, 100,
                "a fraction in [0, 100], such as 0.1 for 10%");
        double ceiling = judge.number("error-ceiling", defaults.errorCeiling(), Double.MIN_VALUE, 1,
                "a fraction in (0, 1]");
        ConfigValues shadow = judge.child("shadow");
        shadow.rejectUnknown(Set.of("min-agreement", "max-abs-diff", "max-rel-diff"));
        double agreement = shadow.number("min-agreement", defaults.minAgreement(), 0, 1,
                "a fraction in [0, 1]");
        double absDiff = shadow.number("max-abs-diff", Double.NaN, 0, Double.MAX_VALUE, "a number >= 0");
        double relDiff = shadow.number("max-rel-diff", Double.NaN, 0, Double.MAX_VALUE, "a number >= 0");
        return new JudgeConfig(minSamples, maxExtensions, alpha, tolerance, ceiling, agreement,
                absDiff, relDiff, metrics(judge));
    }

    private static List<MetricSpec> metrics(ConfigValues judge) {
        List<MetricSpec> metrics = new ArrayList<>();
        Set<String> names = new HashSet<>(Judge.builtInChecks());
        for (ConfigValues metric : judge.children("metrics")) {
            metric.rejectUnknown(Set.of("name", "query", "threshold", "direction"));
            String name = metric.string("name", "metric-" + metrics.size(), true);
            if (metric.has("name") && !names.add(name)) {
                metric.problem("name", name, "a name used by no other check");
            }
            String query = metric.string("query", "", true);
            if (!metric.has("threshold")) {
                metric.problem("threshold", null, "a number");
            }
            double threshold = metric.number("threshold", 0, -Double.MAX_VALUE, Double.MAX_VALUE,
                    "a number");
            String directionKey = metric.string("direction", "fail-above", false);
            MetricSpec.Direction direction = MetricSpec.Direction.fromKey(directionKey);
            if (direction == null) {
                metric.problem("direction", directionKey, "fail-above or fail-below");
                direction = MetricSpec.Direction.FAIL_ABOVE;
            }
            metrics.add(new MetricSpec(name, query, threshold, direction));
        }
        return metrics;
    }

    private static List<WebhookSpec> webhooks(ConfigValues values) {
        List<WebhookSpec> webhooks = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigValues hook : values.children("webhooks")) {
            hook.rejectUnknown(Set.of("name", "type", "url", "timeout", "retries", "metadata"));
            String name = hook.string("name", "webhook-" + webhooks.size(), true);
            if (hook.has("name") && !names.add(name)) {
                hook.problem("name", name, "a name used by no other webhook");
            }
            String typeKey = hook.string("type", "rollout", true);
            WebhookType type = WebhookType.fromKey(typeKey);
            if (type == null) {
                hook.problem("type", typeKey, "one of pre-rollout, rollout, confirm-promotion, "
                        + "post-rollout, rollback");
                type = WebhookType.ROLLOUT;
            }
            URI url = url(hook);
            Duration timeout = hook.duration("timeout", WebhookSpec.DEFAULT_TIMEOUT);
            int retries = (int) hook.integer("retries", 0, 0, 10);
            webhooks.add(new WebhookSpec(name, type, url, timeout, retries, hook.strings("metadata")));
        }
        return webhooks;
    }

    private static URI url(ConfigValues hook) {
        String text = hook.string("url", "http://localhost/", true);
        try {
            URI url = new URI(text);
            if (url.getHost() == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
                hook.problem("url", text, "an absolute http or https URL");
            }
            return url;
        } catch (URISyntaxException e) {
            hook.problem("url", text, "an absolute http or https URL");
            return URI.create("http://localhost/");
        }
    }
}
