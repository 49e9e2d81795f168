/**
 * {@code ur5e-pick-place}: a Universal Robots UR5e with a parallel gripper picks a 4 cm cube off a
 * table and places it in a target zone, or lifts it, or puts it on the left side of the table, as
 * the episode's task says ({@link kiban.sim.arm.PickPlaceTasks}).
 *
 * <h2>Arm</h2>
 * Forward kinematics follow UR's published standard DH table exactly
 * ({@link kiban.sim.arm.Ur5eKinematics}); the TCP is 0.15 m along the flange axis (between the
 * fingertips of a Robotiq 2F-85). The base frame sits on the table top, z up; with the home pose
 * {@code (0, -pi/2, pi/2, -pi/2, -pi/2, 0)} the tool points down over the work area, which lies at
 * {@code x in [-0.65, -0.35], y in [-0.3, 0.3]} m. The action is the built-in {@code ur5e}
 * embodiment's: joint targets (clipped to the published limits, elbow +-pi, others +-2pi, by the
 * base class and counted in {@code info.clipped_actions}) and a gripper command (0 open, 1 closed).
 * Each 20 Hz control step runs 5 substeps in which every joint moves toward its target by at most
 * 180 deg/s times the substep (no acceleration limit: UR publishes none); the gripper moves at
 * 2 /s. There are no dynamics: the arm is a position-controlled kinematic chain.
 *
 * <h2>Table</h2>
 * The table top is the plane z = 0. The origins of joint frames 2..6 must stay 4 cm (a link's
 * radius) above it, the TCP and the bottom of a held cube on or above it; the skeleton between the
 * origins is straight, so checking the origins checks it. A substep that would break this is refused
 * (the arm stays put for that substep) and each control step with a refusal adds one to
 * {@code info.table_collisions}. The arm does not collide with the cube or with itself.
 *
 * <h2>Grasp</h2>
 * Kinematic. The jaws touch the cube at gripper position {@code 1 - 0.04 / 0.085} (the 2F-85's
 * stroke). When a closing gripper reaches that position with the cube centre within 2 cm of the TCP
 * along the jaw axis (the TCP x axis) and 1.5 cm across it and vertically, the tool within 20 deg of
 * vertical and the jaws within 15 deg of square to the cube's faces, the cube attaches rigidly
 * (its yaw turns with the jaws, it stays upright) and the jaws stop on it; otherwise they close
 * fully and hold nothing. Opening below the touch position releases the cube with the velocity it
 * had: it falls, lands without bouncing and slides to rest under Coulomb friction.
 *
 * <h2>Episode</h2>
 * The reset seed draws the cube's position and yaw and the zone centre (at least 15 cm from the
 * cube), whatever the task. The observation is the embodiment state ({@code joint_pos, joint_vel, gripper, tcp_pos})
 * then {@code cube_pos} (centre, m), {@code cube_yaw} (in [-pi/4, pi/4): a cube looks the same
 * turned by a quarter), {@code target_pos} (zone centre on the table top) and {@code jaw_yaw} (the
 * jaws' yaw about the vertical in [-pi, pi], from the joints: what a wrist camera is turned by). The episode
 * terminates on success and is truncated after 200 steps (10 s). {@code info}: {@code is_success},
 * {@code table_collisions}, {@code grasped} (held now), {@code clipped_actions}.
 * {@code episodeMetrics()}: {@code placement_error} (m, the task's error e below),
 * {@code grasped} (1 if the cube was ever grasped), {@code table_collisions}.
 *
 * <h2>Tasks</h2>
 * The same seed starts the same scene and observation for every task; the instruction alone says
 * what to do, and no state is a success of two tasks.
 * <ul>
 *   <li>{@code place-in-zone} (the first, as before tasks existed): "place the cube in the target
 *       zone". Success: the cube released and at rest with its centre within 5 cm of the zone
 *       centre; e is the distance from the cube's bottom centre to the zone centre.
 *   <li>{@code lift}: "pick up the cube and hold it still, at least 10 cm above the table".
 *       Success: the cube held with its bottom at least 10 cm up and moving under 2 cm/s over the
 *       step, 20 steps in a row (1 s: carrying it past takes less); e is how far the bottom is
 *       below 10 cm.
 *   <li>{@code put-left}: "put the cube down on the left side of the table" (left as the front
 *       camera sees it, +y). Success: the cube released and at rest with its centre at
 *       {@code y >= 0.4} m, 10 cm beyond the strip cubes and zones are drawn from, so in no zone
 *       and never at the start; e is the distance from the bottom centre to the table there.
 * </ul>
 * The picture is the same for every task: it is part of the observation, and drawing the task
 * would give a camera policy the instruction.
 *
 * <h2>Reward</h2>
 * Shaped, per step: {@code 0.25 * reach + 0.25 * held + 0.5 * place}, with
 * {@code reach = 1 - tanh(10 * |tcp - cube|)} (1 while held) and
 * {@code place = 1 - tanh(10 * e)}, e the task's error; minus 0.1 in a step with a table collision,
 * plus 5 on the successful step.
 *
 * <h2>Domain randomisation</h2>
 * {@code frictionSpread} scales the cube-table friction (0.5), which sets how far a cube released
 * while moving slides. {@code massSpread} has no effect: the grasp is kinematic (no slip) and
 * Coulomb sliding does not depend on mass. Sensor noise and action latency are the base class's.
 *
 * <h2>End-effector control</h2>
 * Rather than a second registered env, {@link kiban.sim.arm.EeDeltaController} turns TCP deltas
 * (translation and rotation vector in the base frame, then gripper) into this env's joint-target
 * action by damped-least-squares IK ({@link kiban.sim.arm.InverseKinematics}); the env list keeps
 * one name per task.
 *
 * <h2>Expert</h2>
 * {@link kiban.sim.arm.PickPlaceExpert} moves a Cartesian set point through above-cube, descend,
 * close, lift, carry, lower, open and retreat at 0.5 m/s (0.2 m/s near the table), tracking it
 * with the same IK, and retries a missed grasp from above. It reads the task at reset: for
 * {@code lift} it holds the cube at the 15 cm hover after lifting it, for {@code put-left} it
 * carries it to (-0.5, 0.5) m instead of the zone.
 */
package kiban.sim.arm;
