package dev.modelgate.server.routing;

import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Sends requests whose header matches to a named revision, before any weight is consulted: A/B by
 * tenant, internal testers on the canary. Exactly one of {@code exact} and {@code regex} is set;
 * a regex must match the whole header value.
 */
public record HeaderRule(String header, String exact, String regex, String revision) {
    public HeaderRule {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(revision, "revision");
        if ((exact == null) == (regex == null)) {
            throw new IllegalArgumentException("rule on " + header
                    + ": exactly one of exact or regex (expected: one match)");
        }
        if (regex != null) {
            Pattern.compile(regex);
        }
    }

    public static HeaderRule exact(String header, String value, String revision) {
        return new HeaderRule(header, value, null, revision);
    }

    public static HeaderRule regex(String header, String pattern, String revision) {
        return new HeaderRule(header, null, pattern, revision);
    }

    CompiledRule compile() {
        Pattern pattern = regex == null ? null : Pattern.compile(regex);
        return new CompiledRule(this, pattern);
    }

    /** A rule with its pattern compiled once, when a routing snapshot is built. */
    record CompiledRule(HeaderRule rule, Pattern pattern) {
        boolean matches(Function<String, String> headers) {
            String value = headers.apply(rule.header());
            if (value == null) {
                return false;
            }
            return pattern == null ? rule.exact().equals(value) : pattern.matcher(value).matches();
        }
    }
}
