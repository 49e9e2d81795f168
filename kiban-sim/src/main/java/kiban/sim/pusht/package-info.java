/**
 * The PushT task of Diffusion Policy and gym-pusht ({@code pusht}), simulated with the dyn4j 2-D
 * physics engine, with an exact coverage reward, a rasteriser for camera frames and a planning
 * expert, and two more goal poses of the T as further tasks.
 *
 * <h2>Tasks</h2>
 * The task chosen at reset names the goal pose ({@link kiban.sim.pusht.PushTGoal}); everything else
 * (start draw, physics, reward rule, 0.95 success) is the same, and the 5-D state does not show
 * the goal, so for the same seed every task starts from the same state and only the instruction
 * tells them apart. The camera frame draws the episode's goal, as gym-pusht's frame does.
 * <ul>
 *   <li>{@code centre} (the default): "push the T onto the centre goal, turned 45 degrees
 *       clockwise": gym-pusht's goal (256, 256, pi/4); this task is the env as it was before it posed
 *       tasks, bit for bit (states, rewards, frames and the expert's actions).</li>
 *   <li>{@code upper-left}: "push the T onto the upper-left goal, upright", (180, 140, 0).</li>
 *   <li>{@code lower-right}: "push the T onto the lower-right goal, upside down", (330, 380, pi).</li>
 * </ul>
 * No start among seeds 0-19999 covers any of the three goals above 0.95.
 *
 * <h2>What matches gym-pusht</h2>
 * <ul>
 *   <li>512 x 512 workspace, x right and y down; four walls as segments of radius 2 through
 *       (5,5), (506,5), (506,506), (5,506) (dyn4j capsules of the same shape).</li>
 *   <li>Agent: a kinematic disk of radius 15. Every 0.01 s physics step the PD law
 *       {@code v += (100 (target - p) - 20 v) dt} sets its velocity; 10 steps make one 10 Hz
 *       control step.</li>
 *   <li>T block: bar 120 x 30 and stem 30 x 90 in the local frame, mass 1, gym-pusht's moment of
 *       inertia (twice pymunk's {@code moment_for_poly} of the bar, the legacy bug: 3000) and its
 *       centre of gravity at (0, 45), the unweighted mean of the two centroids. dyn4j takes an
 *       explicit {@link org.dyn4j.geometry.Mass} with any centre, so the quirk is reproduced
 *       exactly. The state reports the local origin and the angle modulo 2 pi.</li>
 *   <li>Space damping 0: pymunk multiplies velocities by {@code 0^dt = 0} each step, so the block
 *       keeps no momentum and moves only while pushed. The simulator zeroes the block's velocity
 *       before every dyn4j step.</li>
 *   <li>Friction 0 everywhere: the {@code body.friction = 1} lines in gym-pusht set an unused
 *       attribute and pymunk shapes default to 0.</li>
 *   <li>Goal pose (256, 256, pi/4) in the default task; coverage = area(goal T and block T) /
 *       area(goal T), computed exactly by clipping the four rectangle pairs; reward
 *       {@code clip(coverage / 0.95, 0, 1)}; terminated (success) when coverage &gt; 0.95; 300-step
 *       limit.</li>
 *   <li>Reset: agent integers 50..449, block integers 100..399, angle {@code N(0,1) 2 pi - pi},
 *       in that order; the legacy {@code _set_state} (position set at angle 0, then the block
 *       turned about its centre of gravity, which moves the reported origin) and one physics
 *       step, in a freshly built world as gym-pusht's {@code _setup} builds a fresh space.</li>
 *   <li>Camera frames: the 512 x 512 canvas as gym-pusht draws it (goal LightGreen, block a
 *       lightened LightSlateGray with a LightSlateGray outline on each rectangle, agent RoyalBlue
 *       with a lighter inner disk, LightGray walls, white ground), resampled as
 *       {@code cv2.resize(INTER_LINEAR)}; the goal drawn is the episode's; no action marker
 *       (Diffusion Policy's {@code render_action=False}). Only the pixels near the block and the
 *       agent are redrawn each frame; render randomisation, when on, varies the colours, the
 *       lighting and the view per episode.</li>
 * </ul>
 *
 * <h2>Deviations</h2>
 * <ul>
 *   <li>Random numbers come from {@link java.util.SplittableRandom} seeded with the reset seed;
 *       numpy's legacy {@code RandomState} is not reproduced, so seed 100000 here is not the same
 *       start as seed 100000 in gym-pusht (the distribution is the same).</li>
 *   <li>Contact solving is dyn4j's (sequential impulses, warm starting off so that a
 *       {@link kiban.sim.pusht.PushTSim.State} is a complete snapshot), not Chipmunk's; the two
 *       differ in slop, bias and iteration details, so trajectories agree qualitatively, not
 *       numerically. In pymunk the block moves in step k+1 with the velocity solved in step k; in
 *       dyn4j it moves in the same step.</li>
 *   <li>Domain randomisation: gym-pusht's friction is 0, which no scale changes, so
 *       {@code frictionSpread} is the range of the block's friction coefficient (drawn uniformly
 *       in [0, spread)) against the agent and the walls. Because the block has no momentum, scaling
 *       its mass and inertia together would change nothing; {@code massSpread} therefore scales
 *       the mass alone, which changes how a push splits into turning and sliding.</li>
 *   <li>Info holds {@code coverage}, {@code is_success} and {@code clipped_actions}, not
 *       gym-pusht's pose, velocity and contact-count entries (they are in the state or derivable).</li>
 * </ul>
 *
 * <p>The expert ({@link kiban.sim.pusht.PushTExpert}) plans pushes toward the episode's goal on a
 * copy of the simulator; see its documentation.
 */
package kiban.sim.pusht;
