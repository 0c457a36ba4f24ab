package dev.modelgate.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/**
 * Prints a rollout's decision log entries one line each (time, kind, phase, step, message), with
 * a line per verdict under a judgement, as {@code docs/rollouts.md} shows them. It prints only the
 * entries after the first {@code skip}, so {@code --wait} prints each entry once.
 */
final class DecisionPrinter {
    private DecisionPrinter() {
    }

    /**
     * Prints the entries not printed yet; returns how many entries were logged in all (dropped
     * ones included), to pass as {@code skip} next time.
     */
    static int print(PrintWriter out, JsonNode state, int skip) {
        JsonNode log = state.path("log");
        JsonNode entries = log.path("entries");
        int dropped = log.path("dropped").asInt();
        int total = dropped + entries.size();
        for (int i = Math.max(0, skip - dropped); i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            out.printf("%s %-9s %-11s step %-2d %s%n", time(entry.path("at").asText()),
                    entry.path("kind").asText(), entry.path("phase").asText(),
                    entry.path("step").asInt() + 1, entry.path("message").asText());
            for (JsonNode verdict : entry.path("verdicts")) {
                out.printf("           %-20s %-12s n=%d/%d %s%n", verdict.path("metric").asText(),
                        verdict.path("outcome").asText(), verdict.path("baseline-n").asLong(),
                        verdict.path("candidate-n").asLong(), verdict.path("reason").asText());
            }
        }
        out.flush();
        return total;
    }

    /** {@code 2026-01-01T10:00:01.234567Z} -> {@code 10:00:01.234} (UTC). */
    private static String time(String instant) {
        try {
            return java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
                    .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.parse(instant));
        } catch (java.time.format.DateTimeParseException e) {
            return instant;
        }
    }
}
