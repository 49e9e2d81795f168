/**
 * The {@code factory-cell} env: a conveyor feeding one machine station that wears with load, for
 * learning maintenance and speed decisions. {@link kiban.sim.factory.FactoryCellProvider} registers
 * it; {@link kiban.sim.factory.ConditionBasedExpert} is its expert, with settings per
 * {@link kiban.sim.factory.CellTask}, and {@link kiban.sim.factory.RunToFailurePolicy} the baseline
 * it is judged against.
 *
 * <h2>Time scale</h2>
 * The embodiment is controlled at 1 Hz, but wear, failures and repairs play out over hours and
 * days, so the simulation runs compressed: <b>one control step is one simulated minute</b> and an
 * episode ({@code maxSteps = 7200}) is <b>five days of round-the-clock production</b> (three shifts),
 * long enough for several wear cycles. {@code EnvSpec.controlHz} stays the embodiment's 1 Hz; the
 * drives reach any commanded speed within the simulated minute, so the embodiment's
 * {@code max_rate} of 0.5/s never binds.
 *
 * <h2>Model</h2>
 * <ul>
 *   <li><b>Conveyor and buffer.</b> Parts arrive as a Poisson process of mean 1.1 parts a minute
 *       times the conveyor speed into a buffer of 100; arrivals that find it full are blocked
 *       (counted in {@code blocked_parts}). Supply slightly exceeds the machine's nominal rate, so
 *       the machine is the bottleneck, as it should be in a cell worth maintaining.</li>
 *   <li><b>Machine.</b> Ideal cycle time 1 minute at nominal speed (60 parts an hour); speed
 *       {@code s} finishes {@code s} parts a minute. A running minute is lost to a minor stop (a jam)
 *       with probability {@code 0.02 + 0.08 w} (the OEE performance loss) and a finished part is scrap
 *       with probability {@code 0.01 + 0.15 w^2 s} (the quality loss).</li>
 *   <li><b>Wear</b> {@code w} (hidden) is a Gamma process, monotone as physical wear is: each running
 *       minute adds a Gamma(0.008 s^3, 1/(0.008*1440)) increment, i.e. a mean of {@code s^3/1440},
 *       so wear 1.0 takes about a day at nominal speed with a coefficient of variation of about
 *       0.3. The cube makes overspeed wear super-linearly: at 1.5x speed wear per part is 2.25x.
 *       Episodes start with wear uniform in [0, 0.4].</li>
 *   <li><b>Failures.</b> A proportional-hazards model in the spirit of Jardine, Banjevic and Makis
 *       (Cox PHM for CBM) with wear as the covariate, on operating time: per running minute
 *       {@code h = (1/10080 + (1/60) exp(8 (w - 1))) s}. The first term is random failures that no
 *       maintenance prevents (one a week of running); the second rises e-fold per 0.125 of wear, so
 *       hazard grows with age as for a wear-out (Weibull beta > 1) item. Run to failure, the machine
 *       breaks at a mean wear of 0.77, a realised MTBF of about 18.5 h of up time (50 seeds).
 *       Wear 1.2, or a temperature of 110 degC, breaks the machine outright.</li>
 *   <li><b>Repair.</b> Corrective repair lasts a lognormal time, median 4 h, log-sigma 0.4 (mean
 *       about 4.3 h; repair times are commonly modelled lognormal), and replaces the worn part (wear
 *       0, "as good as new"). A maintenance request ({@code request_maintenance >= 0.5}) while up
 *       starts preventive maintenance: lognormal, median 60 min, log-sigma 0.3, imperfect (leaves
 *       wear uniform below 0.05). Requests while down are ignored.</li>
 *   <li><b>Sensors.</b> Vibration is RMS velocity in mm/s: {@code (b + 10.7 w^1.5)(0.4 + 0.6 s)} plus
 *       Gaussian noise of 0.3, where {@code b} in [0.5, 0.9] is the unit's new-machine level (ISO
 *       10816 class I zone A/B boundary 0.71 mm/s). At nominal speed wear 0.5 reads about 4.5 mm/s,
 *       the class I zone C/D boundary, and wear 1.0 about 11 mm/s. A stopped machine reads the
 *       sensor floor, 0.1 mm/s. Temperature follows a first-order lag (20 min) towards
 *       {@code 25 + s (25 + 35 w)} degC while running and 25 degC when stopped, read with Gaussian
 *       noise of 0.5 degC: a secondary, lagging indicator of wear.</li>
 * </ul>
 *
 * <h2>Observation, reward, KPIs, success</h2>
 * The observation is the embodiment's six state features followed by {@code parts_done} (good parts
 * so far) and {@code minutes_since_service} (see {@link kiban.sim.factory.CellObservation}). The
 * reward of a step is the good parts it made, minus 0.5 per minute under corrective repair and 0.2
 * per minute under maintenance (costs on top of the lost output: planned work has its crew and
 * parts ready). {@link kiban.sim.factory.CellKpis} computes OEE after Nakajima: planned time is
 * every minute, availability = (planned - failed - maintenance) / planned, performance = ideal cycle
 * time x parts / run time (capped at 1, so overspeed is not credited), quality = good / all parts;
 * {@code throughput} is good parts an hour and {@code downtime_fraction} = 1 - availability.
 * {@code episodeMetrics()} and every step's {@code info} carry {@code throughput},
 * {@code downtime_fraction}, {@code oee}, {@code failures}, {@code maintenances}, the OEE factors,
 * {@code good_parts}, {@code scrap_parts} and {@code blocked_parts}. Under the first task an
 * episode succeeds when its OEE reaches 0.75: between the ~60% quoted for typical discrete plants
 * and the ~85% "world class" figure (indicative industry values).
 *
 * <h2>Tasks</h2>
 * Two tasks ({@link kiban.sim.factory.CellTask}), chosen at reset and named by an instruction, share
 * the plant and the start of every seed; they differ only in how an episode is judged and
 * rewarded, so a policy learns which to pursue from the instruction alone. Wear per running minute
 * grows as speed cubed (per part as speed squared) while output grows with speed, so the two pull
 * apart.
 * <ul>
 *   <li>{@code favour-throughput}, the first and the env as it was before tasks: the reward and
 *       success above. At or below nominal speed OEE is good parts an hour over 60, so this asks
 *       for 45 parts an hour; overspeed earns nothing, performance being capped.</li>
 *   <li>{@code favour-machine-life}: the machine life used, the wear gained over the episode
 *       whatever maintenance and repair took off ({@code life_used}, an episode metric of this task
 *       only), must stay within half of the 5.0 that five days at nominal speed cause, with at most
 *       two breakdowns (random failures strike however well the machine is kept) and at least 30
 *       good parts an hour, so that idling is no answer. The reward is the first task's minus 1000
 *       per unit of wear (wear 1.0 is a day at nominal speed), which peaks near speed 0.7.</li>
 * </ul>
 * The provider's expert takes each task's settings at every reset
 * ({@link kiban.sim.factory.ConditionBasedExpert#forTask}): nominal speed and the ISO limit for the
 * first; line speed 0.65 with maintenance at 2.0 mm/s (about wear 0.3) for the second, chosen on
 * seeds 0-49. The baselines {@code task-blind-throughput} and {@code task-blind-machine-life} run
 * one task's expert whatever the task; each fails the other task (docs/SIMULATION.md). A third
 * task, throughput above the nominal rate, was left out: overspeed keeps OEE above 0.75 (the
 * capped performance does not penalise it), so its expert would also pass the first task and a
 * policy blind to the instruction would pass two tasks of three.
 *
 * <h2>Domain randomisation</h2>
 * {@code massSpread} scales the wear rate (heavier parts load the machine more) and
 * {@code frictionSpread} divides the conveyor's delivery rate (belt friction and slip), each drawn
 * once per episode; sensor noise and action latency come from the base class.
 *
 * <h2>Sources</h2>
 * Nakajima, Introduction to TPM (1988) for OEE; Cox (1972) proportional hazards and Jardine,
 * Banjevic and Makis's PHM-based CBM (EXAKT; Vlok et al.'s pump case study with vibration
 * covariates) for the hazard; Gamma-process degradation with a preventive threshold below the
 * failure level; ISO 10816 / 20816 zone boundaries for vibration severity; lognormal repair times.
 * These were stated from general knowledge in the project's factory spec, not re-read from the
 * primary texts; the numbers above are plausible choices for a small machine, not fitted to data.
 */
package kiban.sim.factory;
