package kiban.policy.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void warmsUpLinearlyThenDecaysByCosine() {
        Schedule s = new Schedule(1e-3, 10, 110, 0.0);
        assertThat(s.at(0)).isCloseTo(1e-4, within(1e-12));
        assertThat(s.at(9)).isCloseTo(1e-3, within(1e-12));
        assertThat(s.at(10)).isCloseTo(1e-3, within(1e-12));
        assertThat(s.at(60)).isCloseTo(5e-4, within(1e-12));
        assertThat(s.at(110)).isCloseTo(0, within(1e-12));
    }
}
