/**
 * The {@code highway} env: a port of highway-env's {@code highway-v0} (Farama HighwayEnv, read at
 * 07b824f9) driven through its {@code ContinuousAction}, on the built-in {@code vehicle}
 * embodiment.
 *
 * <h2>Faithful to highway-env</h2>
 * Two reference scenes run through highway-env's own Python classes (numpy only) agree with the
 * traffic package to 1e-9 in every vehicle's final state after 20 and 40 s, crashes and lane
 * changes included, and so do the Kinematics rows (see {@code HighwayReferenceTest} and
 * {@code NearbyVehiclesTest}).
 * <ul>
 *   <li>Road: 4 straight lanes of 4 m, 10 km, speed limit 30 m/s; lane 0 leftmost, lane 3
 *       rightmost.</li>
 *   <li>Vehicles: kinematic bicycle with Euler steps, length 5 m, width 2 m, speed clipped to
 *       [-40, 40] m/s, a crashed vehicle brakes with a = -v and stops steering.</li>
 *   <li>Traffic: 50 {@code IDMVehicle}s, IDM (a 6, comfort 3 / -5, d0 10 m centre to centre,
 *       T 1.5 s, exponent U[3.5, 4.5] per vehicle), MOBIL (politeness 0, gain 0.2, imposed braking
 *       2, decision every 1 s from a position-seeded timer, abort when another driver heads for the
 *       same lane too close), {@code ControlledVehicle} lateral and heading controllers. Each
 *       substep all traffic decides, then all vehicles move, then pairs are checked in list order.</li>
 *   <li>Spawn: {@code create_random} with ego speed 25, ego spacing 2, density 1, others
 *       U(21, 24) m/s whose target speed is their initial speed. All traffic starts ahead of the ego.</li>
 *   <li>Collisions: SAT on rotated rectangles after the spherical pre-check, including
 *       highway-env's predictive rule: boxes that will overlap within one substep at constant
 *       velocity are pushed apart and marked crashed at the next substep.</li>
 *   <li>Reward: (-1 collision + 0.1 lane/3 + 0.4 clip((v cos psi - 20)/10, 0, 1)) mapped from
 *       [-1, 0.5] to [0, 1], times on_road. Terminated on crash only ({@code offroad_terminal}
 *       False, as highway-v0); truncated after 40 s.</li>
 *   <li>The ego is a plain {@code Vehicle}, as {@code ContinuousAction.vehicle_class}, so it has no
 *       target speed. When a traffic driver weighs a lane change with the ego as its new follower,
 *       IDM with target 0 (0.01 m/s after {@code not_zero}) predicts an enormous braking and MOBIL
 *       refuses: traffic never changes lanes directly in front of the ego. This quirk is kept.</li>
 * </ul>
 *
 * <h2>Choices and deviations</h2>
 * <ul>
 *   <li>Timing: control at 5 Hz (the embodiment's rate), each step holding the action for 3
 *       substeps at highway-env's 15 Hz; highway-v0's own policy rate is 1 Hz. 40 s = 200 steps.</li>
 *   <li>Actions are in physical units, [-5, 5] m/s^2 and [-pi/4, pi/4] rad (ContinuousAction's
 *       ranges, not its [-1, 1] box); out-of-range values are clipped and counted by the base class.</li>
 *   <li>Randomness: {@link java.util.SplittableRandom} from the reset seed, with highway-env's
 *       distributions and draw order (ego lane, ego offset; per vehicle lane, speed, offset, exponent),
 *       but not numpy's stream, so a seed gives a different scene than in Python.</li>
 *   <li>All 51 vehicles are simulated every substep (no window around the ego); lane ends and
 *       {@code follow_road} are not modelled as nobody travels 10 km in 40 s.</li>
 *   <li>Observation: the embodiment state (x, y, heading wrapped to [-pi, pi], speed), then
 *       {@code nearby_vehicles} [5, 5]: highway-env's Kinematics rows for the 5 nearest other
 *       vehicles (within 200 m, not more than 10 m behind as {@code see_behind=False}, sorted by
 *       |longitudinal distance|), presence, x, y, vx, vy relative to the ego in m and m/s, clipped
 *       to Kinematics' ranges (x +-200, y +-16, v +-80) but not normalised; then {@code lane}: the
 *       closest lane index and the lateral offset from its centre (clipped to +-4 m); then
 *       {@code lane_traffic} [3, 5], Kiban's addition: for the lanes left of, at and right of the
 *       ego, whether the lane exists, the bumper gap to and relative speed of the nearest vehicle
 *       ahead and behind ({@link kiban.sim.highway.LaneTraffic}). Kinematics' distance-sorted rows
 *       move the ego's leader between slots; cloned policies crashed on that (collision rate 0.64
 *       at best without it, 0.00-0.08 with it, docs/RESULTS.md).</li>
 *   <li>Camera {@code top}: 96x96 RGB top-down view, 60 m of road across, centred on the ego.</li>
 *   <li>info: speed, crashed, on_road, lane_changes, lane (plus the base class's clipped_actions).
 *       Metrics: collision_rate (1 if the ego crashed), mean_speed (ego speed averaged over control
 *       steps), offroad_rate (fraction of control steps ending off-road), lane_changes (changes of
 *       the ego's closest lane between control steps). Success: 200 steps, no crash, on road at the
 *       end.</li>
 *   <li>Domain randomisation: the model has no mass or tyre forces, so friction and mass spreads
 *       become one per-episode gain, friction / mass scale, on the ego's commanded acceleration
 *       (less grip or more mass: less acceleration and braking for the same command). Sensor
 *       noise and latency come from the base class.</li>
 * </ul>
 *
 * <h2>Tasks</h2>
 * {@link kiban.sim.highway.HighwayTasks}: {@code drive-fast} ("drive fast without crashing") is
 * highway-v0 as above, bit for bit. {@code keep-right} ("keep to the right lane") and
 * {@code keep-left} ("drive in the left lane") ask for lane 3 or lane 0: their reward swaps
 * highway-v0's weights (0.4 for closeness to the lane, 0.1 for forward speed over the speed
 * limit, same collision penalty and normalisation), their success adds at least 85% of the
 * control steps in the lane and a mean speed of at least 15 m/s, and their metrics add
 * {@code in_lane_rate}. The task never changes the scene drawn from a seed, the observation or the
 * motion: the instruction alone says which lane is wanted.
 *
 * <h2>Expert</h2>
 * {@link kiban.sim.highway.HighwayExpert} reads the simulator: it follows the nearest vehicle
 * occupying or heading into its lanes with a braking-distance speed law towards 30 m/s, changes
 * lanes MOBIL-style (one lane further looked at too) when gap, time-to-collision and follower
 * braking checks pass, and steers with a lateral-position / heading cascade suited to the 5 Hz
 * hold. The spec-faithful traffic does not threaten it (no cut-ins in front of the ego, IDM
 * followers never rear-end it); what limits it is speed: traffic drives 21-24 m/s and forms
 * moving walls across all four lanes. On a lane task it sweeps to the lane as soon as each move is
 * safe, matching the speed of the lanes still to cross, then follows its leader there.
 */
package kiban.sim.highway;
