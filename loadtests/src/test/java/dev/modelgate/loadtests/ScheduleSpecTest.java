package dev.modelgate.loadtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleSpecTest {
    private static final long S = 1_000_000_000L;

    @Test
    void readsEachScheduleKind() {
        assertThat(parse(null, 500.0, 0).describe()).isEqualTo("constant 500/s");
        assertThat(parse("ramp:10:100", null, 30 * S).describe()).isEqualTo("ramp 10/s to 100/s over 30s");
        assertThat(parse("ramp:0:100:5s", null, 0).describe()).isEqualTo("ramp 0/s to 100/s over 5s");
        assertThat(parse("step:100,200,400:10s", null, 0).describe()).isEqualTo("step 100,200,400 every 10s");
        assertThat(parse("spike:100:1000:5s:500ms", null, 0).describe())
                .isEqualTo("spike 100/s to 1000/s at 5s for 500ms");
    }

    @Test
    void reportsWhatIsWrong() {
        assertThat(problems(null, null, 0)).singleElement().asString().startsWith("rate: null (expected: > 0");
        assertThat(problems("ramp:10:100", null, 0)).singleElement().asString()
                .contains("ramp:FROM:TO:OVER, or --duration");
        assertThat(problems("ramp:10:100:5s", 50.0, 0)).singleElement().asString()
                .startsWith("rate: 50.0 (expected: no --rate");
        assertThat(problems("step:100,x:1s", null, 0)).singleElement().asString().contains("rate x");
        assertThat(problems("step:100:0s", null, 0)).singleElement().asString().contains("longer than 0");
        assertThat(problems("spike:1:2:3", null, 0)).singleElement().asString().startsWith("schedule: spike:1:2:3");
        assertThat(problems("poisson", null, 0)).singleElement().asString().startsWith("schedule: poisson");
    }

    private static ArrivalSchedule parse(String spec, Double rate, long duration) {
        List<String> problems = new ArrayList<>();
        ArrivalSchedule schedule = ScheduleSpec.parse(spec, rate, duration, problems);
        assertThat(problems).isEmpty();
        return schedule;
    }

    private static List<String> problems(String spec, Double rate, long duration) {
        List<String> problems = new ArrayList<>();
        assertThat(ScheduleSpec.parse(spec, rate, duration, problems)).isNull();
        return problems;
    }
}
