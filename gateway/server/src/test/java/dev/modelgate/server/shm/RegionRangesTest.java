package dev.modelgate.server.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.api.InferenceException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegionRangesTest {
    @Test
    void aRegionMustLieInsideItsFile() {
        RegionRanges.checkRegion(0, 64, 64);
        RegionRanges.checkRegion(60, 4, 64);
        assertThatThrownBy(() -> RegionRanges.checkRegion(61, 4, 64))
                .isInstanceOf(InferenceException.class)
                .hasMessage("byte_size: 4 (expected: at most the 3 bytes of the file after offset 61)");
        assertThatThrownBy(() -> RegionRanges.checkRegion(65, 1, 64))
                .hasMessage("offset: 65 (expected: within the file's 64 bytes)");
        assertThatThrownBy(() -> RegionRanges.checkRegion(0, 0, 64))
                .hasMessageStartingWith("byte_size: 0 (expected: in [1, ");
        // A uint64 past Long.MAX_VALUE arrives negative: shown unsigned, refused, no overflow.
        assertThatThrownBy(() -> RegionRanges.checkRegion(-1, 4, 64))
                .hasMessage("offset: 18446744073709551615 (expected: within the file's 64 bytes)");
        assertThatThrownBy(() -> RegionRanges.checkRegion(8, Long.MAX_VALUE, 64))
                .isInstanceOf(InferenceException.class);
    }

    @Test
    void aTensorSliceMustLieInsideItsRegion() {
        RegionRanges.Slice slice = RegionRanges.slice("input x", Map.of(
                "shared_memory_region", "r", "shared_memory_byte_size", 16L,
                "shared_memory_offset", 48L), 64);
        assertThat(slice).isEqualTo(new RegionRanges.Slice("r", 48, 16));
        assertThat(RegionRanges.slice("input x", Map.of("shared_memory_region", "r",
                "shared_memory_byte_size", 64L), 64)).isEqualTo(new RegionRanges.Slice("r", 0, 64));
        assertThatThrownBy(() -> RegionRanges.slice("input x", Map.of("shared_memory_region", "r",
                "shared_memory_byte_size", 16L, "shared_memory_offset", 49L), 64))
                .isInstanceOf(InferenceException.class)
                .hasMessage("input x parameters.shared_memory_offset: 49 and shared_memory_byte_size:"
                        + " 16 (expected: inside region r's 64 bytes)");
        assertThatThrownBy(() -> RegionRanges.slice("input x", Map.of("shared_memory_region", "r",
                "shared_memory_byte_size", 16L, "shared_memory_offset", Long.MAX_VALUE), 64))
                .isInstanceOf(InferenceException.class);
        assertThatThrownBy(() -> RegionRanges.slice("input x", Map.of("shared_memory_region", "r",
                "shared_memory_byte_size", Long.MAX_VALUE, "shared_memory_offset", 1L), 64))
                .isInstanceOf(InferenceException.class);
        assertThatThrownBy(() -> RegionRanges.slice("output y", Map.of("shared_memory_region", "r"), 64))
                .hasMessage("output y parameters.shared_memory_byte_size: null (expected: a"
                        + " non-negative integer)");
        assertThatThrownBy(() -> RegionRanges.slice("output y", Map.of("shared_memory_region", "r",
                "shared_memory_byte_size", "16"), 64)).isInstanceOf(InferenceException.class);
    }
}
