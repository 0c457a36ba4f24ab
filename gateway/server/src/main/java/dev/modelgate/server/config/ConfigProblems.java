package dev.modelgate.server.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects configuration problems so validation can report all of them at once. A view made by
 * {@link #within} prefixes keys (for example {@code iris/model.yaml instances}) and shares the list.
 */
public final class ConfigProblems {
    private final List<String> problems;
    private final String prefix;

    public ConfigProblems() {
        this(new ArrayList<>(), "");
    }

    private ConfigProblems(List<String> problems, String prefix) {
        this.problems = problems;
        this.prefix = prefix;
    }

    /** A view that records into the same list with {@code prefix} before every key. */
    public ConfigProblems within(String prefix) {
        return new ConfigProblems(problems, this.prefix + prefix);
    }

    /** Records {@code key: value (expected: constraint)}. */
    public void add(String key, Object value, String expected) {
        problems.add(prefix + key + ": " + value + " (expected: " + expected + ")");
    }

    /** Records a problem already phrased as {@code key: value (expected: constraint)}. */
    public void add(String problem) {
        problems.add(prefix + problem);
    }

    /** Records the problems of a nested read (a file), each with this view's prefix. */
    public void addAll(ConfigException e) {
        e.problems().forEach(problem -> problems.add(prefix + problem));
    }

    /** How many problems were recorded so far, through any view. */
    public int count() {
        return problems.size();
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public List<String> list() {
        return List.copyOf(problems);
    }

    /** Throws a {@link ConfigException} naming {@code source} when any problem was recorded. */
    public void throwIfAny(String source) {
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
    }
}
