package dev.modelgate.server.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.modelgate.api.InferenceException;
import dev.modelgate.server.logging.TritonLogLevels.Levels;
import dev.modelgate.server.service.LogSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Triton's log keys to logback thresholds and back, and every refusal at once. */
class TritonLogLevelsTest {
    private static final Levels INFO = new Levels(Level.INFO, null);

    @Test
    void everyLevelReadsAsTritonsKeys() {
        assertThat(TritonLogLevels.settings(Level.INFO)).containsExactly(
                Map.entry("log_file", ""), Map.entry("log_info", true),
                Map.entry("log_warning", true), Map.entry("log_error", true),
                Map.entry("log_verbose_level", 0L), Map.entry("log_format", "default"));
        assertThat(TritonLogLevels.settings(new Levels(Level.INFO, Level.DEBUG)))
                .containsEntry("log_verbose_level", 1L);
        assertThat(TritonLogLevels.settings(new Levels(Level.INFO, Level.TRACE)))
                .containsEntry("log_verbose_level", 2L);
        assertThat(TritonLogLevels.settings(new Levels(Level.INFO, Level.WARN)))
                .containsEntry("log_verbose_level", 0L);
        assertThat(TritonLogLevels.settings(Level.WARN)).containsEntry("log_info", false)
                .containsEntry("log_warning", true);
        assertThat(TritonLogLevels.settings(Level.OFF)).containsEntry("log_error", false);
    }

    @Test
    void changesMapOntoThresholdsAndVerboseOntoModelgatesOwnLoggers() {
        assertThat(TritonLogLevels.levels(INFO, Map.of("log_verbose_level", 1L)))
                .isEqualTo(new Levels(Level.INFO, Level.DEBUG));
        assertThat(TritonLogLevels.levels(INFO, Map.of("log_verbose_level", 7L)))
                .isEqualTo(new Levels(Level.INFO, Level.TRACE));
        assertThat(TritonLogLevels.levels(new Levels(Level.INFO, Level.DEBUG),
                Map.of("log_verbose_level", 0L))).isEqualTo(INFO);
        assertThat(TritonLogLevels.levels(INFO, Map.of("log_info", false)))
                .isEqualTo(new Levels(Level.WARN, null));
        assertThat(TritonLogLevels.levels(INFO, Map.of("log_info", false,
                "log_warning", false, "log_error", false))).isEqualTo(new Levels(Level.OFF, null));
        assertThat(TritonLogLevels.levels(new Levels(Level.OFF, null), Map.of("log_error", true)))
                .isEqualTo(new Levels(Level.ERROR, null));
    }

    @Test
    void unknownKeysWrongTypesAndNonThresholdsAreRefusedTogether() {
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("log_info", "yes");
        bad.put("log_colour", true);
        bad.put("log_file", "/tmp/x.log");
        bad.put("log_verbose_level", -1L);
        assertThatThrownBy(() -> TritonLogLevels.levels(INFO, bad))
                .isInstanceOf(InferenceException.class)
                .hasMessage("log settings: log_info: yes (expected: true or false);"
                        + " setting: log_colour (expected one of [log_error, log_file, log_format,"
                        + " log_info, log_verbose_level, log_warning]);"
                        + " log_file: /tmp/x.log (expected: \"\"; modelgate logs to stderr);"
                        + " log_verbose_level: -1 (expected: an unsigned integer)");
        assertThatThrownBy(() -> TritonLogLevels.levels(INFO, Map.of("log_warning", false)))
                .isInstanceOf(InferenceException.class)
                .hasMessageContaining("log_info, log_warning, log_error, log_verbose_level:"
                        + " true, false, true, 0 (expected: a threshold");
    }

    @Test
    void logbackKeepsTheStateSoEveryInstanceAgrees() {
        LoggerContext context = new LoggerContext();
        LogSettings rest = LogbackSettings.of(context);
        LogSettings grpc = LogbackSettings.of(context);
        assertThat(rest.update(Map.of("log_verbose_level", 1L)))
                .containsEntry("log_verbose_level", 1L);
        assertThat(grpc.current()).containsEntry("log_verbose_level", 1L);
        assertThat(context.getLogger("dev.modelgate.server.x").isDebugEnabled()).isTrue();
        assertThat(context.getLogger("io.grpc.x").isDebugEnabled()).isFalse();
        assertThatThrownBy(() -> grpc.update(Map.of("log_info", false, "log_verbose_level", 1L)))
                .isInstanceOf(InferenceException.class);
        assertThat(rest.current()).containsEntry("log_verbose_level", 1L);
        grpc.update(Map.of("log_verbose_level", 0L));
        assertThat(context.getLogger("dev.modelgate.server.x").isDebugEnabled()).isFalse();
    }
}
