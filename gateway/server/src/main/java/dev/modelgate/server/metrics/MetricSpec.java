package dev.modelgate.server.metrics;

import java.util.List;
import java.util.Locale;

/**
 * One entry of the {@link MetricsCatalog}: the Micrometer name, what kind of meter it is, its base
 * unit and its tags (each from a bounded set). {@link #prometheusName()} is the family name a
 * scrape shows, derived the way Micrometer's Prometheus naming convention derives it.
 *
 * @param name the Micrometer (dotted) name, or for a {@link Type#FAMILY} the Prometheus prefix
 * @param unit the base unit: {@code seconds}, {@code bytes}, {@code ratio}, or a count noun
 */
public record MetricSpec(String name, Type type, String unit, List<String> tags,
        String description) {
    /** How a meter appears in Prometheus. */
    public enum Type {
        COUNTER, GAUGE, HISTOGRAM, SUMMARY,
        /** A group of meters from a Micrometer binder (JVM, GC, Netty), named by prefix. */
        FAMILY
    }

    public MetricSpec {
        tags = List.copyOf(tags);
    }

    /** The metric family name in the Prometheus exposition (counters end in {@code _total}). */
    public String prometheusName() {
        if (type == Type.FAMILY) {
            return name;
        }
        String base = name.replace('.', '_');
        if ((unit.equals("seconds") || unit.equals("bytes")) && !base.endsWith("_" + unit)) {
            base = base + "_" + unit;
        }
        return type == Type.COUNTER ? base + "_total" : base;
    }

    /** The type word of the Prometheus exposition format. */
    public String prometheusType() {
        return type == Type.FAMILY ? "(several)" : type.name().toLowerCase(Locale.ROOT);
    }
}
