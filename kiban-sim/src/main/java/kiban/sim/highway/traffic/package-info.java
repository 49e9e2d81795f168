/**
 * highway-env's traffic model, ported: a straight multi-lane {@link kiban.sim.highway.traffic.Road},
 * kinematic-bicycle {@link kiban.sim.highway.traffic.Vehicle}s, IDM car following,
 * MOBIL lane changes, the {@code ControlledVehicle} steering controller, SAT collisions and the
 * {@code create_random} spawner. Names and constants follow the Python source so each piece can
 * be checked against it line by line.
 */
package kiban.sim.highway.traffic;
