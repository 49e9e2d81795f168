package kiban.sim.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CubeTest {

    private static double slide(double friction) {
        Cube cube = new Cube(0.04);
        cube.place(0, 0, 0, friction);
        cube.pos[2] = 0.1;
        cube.vel[0] = 0.4;
        for (int i = 0; i < 1000 && !cube.resting(); i++) {
            cube.fall(0.001);
        }
        assertThat(cube.resting()).isTrue();
        assertThat(cube.pos[2]).isEqualTo(0.02);
        return cube.pos[0];
    }

    @Test
    void releasedCubeFallsThenSlidesToRestUnderFriction() {
        double fall = Math.sqrt(2 * 0.08 / Cube.GRAVITY); // 8 cm to the table
        double expected = 0.4 * fall + 0.4 * 0.4 / (2 * 0.5 * Cube.GRAVITY);
        assertThat(slide(0.5)).isCloseTo(expected, within(0.002));
        assertThat(slide(1.0)).isLessThan(slide(0.5));
    }
}
