package kiban.sim.highway.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CollisionTest {

    private static double[][] box(double x, double y, double heading) {
        return Collision.corners(x, y, heading, Vehicle.LENGTH, Vehicle.WIDTH);
    }

    @Test
    void overlappingBoxesIntersect() {
        Collision.Contact c = Collision.test(box(0, 0, 0), box(4, 1, 0), 0, 0, 0, 0);
        assertThat(c.intersecting()).isTrue();
        assertThat(c.willIntersect()).isTrue();
        // Overlap 1 m along x and along y; the tie keeps the first axis tested (x), pushing the
        // first box back.
        assertThat(c.translationX()).isCloseTo(-1, within(1e-12));
        assertThat(c.translationY()).isCloseTo(0, within(1e-12));
    }

    @Test
    void separatedBoxesDoNotIntersect() {
        Collision.Contact c = Collision.test(box(0, 0, 0), box(5.5, 0, 0), 0, 0, 0, 0);
        assertThat(c.intersecting()).isFalse();
        assertThat(c.willIntersect()).isFalse();
    }

    @Test
    void rotatedBoxesWhoseBoundingBoxesOverlapAreSeparatedByAnEdgeAxis() {
        // A box turned 45 degrees at the corner of another: the axis-aligned bounding boxes overlap,
        // the boxes do not.
        Collision.Contact c = Collision.test(box(0, 0, 0), box(4.6, 3.4, Math.PI / 4), 0, 0, 0, 0);
        assertThat(c.intersecting()).isFalse();
    }

    @Test
    void closingBoxesWillIntersectWithinTheirDisplacement() {
        Collision.Contact c = Collision.test(box(0, 0, 0), box(5.5, 0, 0), 1.0, 0, 0, 0);
        assertThat(c.intersecting()).isFalse();
        assertThat(c.willIntersect()).isTrue();
        assertThat(c.translationX()).isCloseTo(-0.5, within(1e-12));
    }

    @Test
    void trafficMarksBothVehiclesCrashed() {
        Road road = Road.HIGHWAY;
        Traffic t = new Traffic(road);
        Vehicle a = Vehicle.ego(0, road, 0, 0, 0, 10);
        Vehicle b = Vehicle.ego(1, road, 4, 0.5, 0.3, 0);
        t.add(a);
        t.add(b);
        t.step(1 / 15.0);
        assertThat(a.crashed()).isTrue();
        assertThat(b.crashed()).isTrue();
    }
}
