package kiban.sim.factory;

import java.util.Locale;
import java.util.function.Supplier;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.Expert;
import kiban.sim.env.ExpertEpisode;
import kiban.sim.env.StepResult;

/**
 * Not a test: a small main that measures the condition-based expert against run-to-failure over
 * many seeds and times single-thread state-only stepping. Arguments: seeds (default 50).
 */
public final class FactoryCellReport {

    private FactoryCellReport() {}

    /** Mean KPIs of one policy over seeds 0..n-1. */
    record Summary(double downtime, double throughput, double oee, double failures, double maintenances,
            double success, double availability, double performance, double quality) {}

    static Summary evaluate(Supplier<Expert> policy, int seeds, EnvConfig config) {
        FactoryCellProvider provider = new FactoryCellProvider();
        double down = 0, thr = 0, oee = 0, fail = 0, maint = 0, ok = 0, a = 0, p = 0, q = 0;
        for (int seed = 0; seed < seeds; seed++) {
            FactoryCellEnv env = provider.create(config);
            Expert expert = policy.get();
            ExpertEpisode.run(env, expert, seed);
            CellKpis k = env.kpis();
            down += k.downtimeFraction();
            thr += k.throughput();
            oee += k.oee();
            fail += k.failures();
            maint += k.maintenances();
            ok += env.success() ? 1 : 0;
            a += k.availability();
            p += k.performance();
            q += k.quality();
        }
        return new Summary(down / seeds, thr / seeds, oee / seeds, fail / seeds, maint / seeds, ok / seeds, a / seeds,
                p / seeds, q / seeds);
    }

    public static void main(String[] args) {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        Summary cbm = evaluate(ConditionBasedExpert::new, seeds, EnvConfig.DEFAULT);
        Summary rtf = evaluate(RunToFailurePolicy::new, seeds, EnvConfig.DEFAULT);
        System.out.println(String.format(Locale.ROOT, "seeds=%d, %d steps each (1 step = 1 simulated minute)", seeds,
                CellModel.EPISODE_STEPS));
        print("condition-based expert", cbm);
        print("run-to-failure", rtf);
        System.out.println(String.format(Locale.ROOT, "downtime cut %.1f%%, throughput ratio %.3f",
                100 * (1 - cbm.downtime() / rtf.downtime()), cbm.throughput() / rtf.throughput()));
        for (double limit : new double[] {1.5, 2.5, 3.5, 4.5, 5.5, 7.0}) {
            print(String.format(Locale.ROOT, "cbm at %.1f mm/s", limit),
                    evaluate(() -> new ConditionBasedExpert(limit, 200), seeds, EnvConfig.DEFAULT));
        }
        wearAtFailure(seeds);
        EnvConfig randomised = EnvConfig.DEFAULT.withRandomization(new kiban.sim.env.Randomization(0.2, 0.2, 0.01, 1));
        print("cbm, randomised", evaluate(ConditionBasedExpert::new, seeds, randomised));
        print("rtf, randomised", evaluate(RunToFailurePolicy::new, seeds, randomised));
        timeSteps();
    }

    private static void print(String name, Summary s) {
        System.out.println(String.format(Locale.ROOT,
                "%-24s downtime_fraction=%.4f throughput=%.2f parts/h oee=%.4f failures=%.2f maintenances=%.2f success=%.2f"
                        + " (A=%.3f P=%.3f Q=%.3f)",
                name, s.downtime(), s.throughput(), s.oee(), s.failures(), s.maintenances(), s.success(),
                s.availability(), s.performance(), s.quality()));
    }

    /** Mean hidden wear when run-to-failure breaks down, and the realised MTBF (running hours per failure) and MTTR. */
    private static void wearAtFailure(int seeds) {
        double wear = 0;
        long failures = 0, running = 0, repair = 0;
        for (int seed = 0; seed < seeds; seed++) {
            FactoryCellEnv env = new FactoryCellProvider().create(EnvConfig.DEFAULT);
            env.reset(seed);
            for (int i = 0; i < CellModel.EPISODE_STEPS; i++) {
                double w = env.wear();
                MachineState before = env.machineState();
                env.step(new double[] {1, 1, 0});
                if (env.machineState() == MachineState.FAILED && before != MachineState.FAILED) {
                    wear += w;
                    failures++;
                }
            }
            running += env.kpis().runMinutes();
            repair += env.kpis().failedMinutes();
        }
        System.out.println(String.format(Locale.ROOT,
                "run-to-failure: mean wear at failure %.3f, MTBF %.1f h of up time, MTTR %.2f h (censored at episode end)",
                wear / failures, running / 60.0 / failures, repair / 60.0 / failures));
    }

    /** Single-thread, state-only steps a second with a fixed action, after a warm-up. */
    private static void timeSteps() {
        FactoryCellEnv env = new FactoryCellProvider().create(EnvConfig.DEFAULT);
        double[] action = {1.0, 1.0, 0.0};
        double sink = 0;
        for (int round = 0; round < 4; round++) {
            long steps = 0;
            long start = System.nanoTime();
            long seed = 0;
            env.reset(seed);
            while (steps < 2_000_000) {
                StepResult r = env.step(action);
                sink += r.reward();
                steps++;
                if (r.done()) {
                    env.reset(++seed);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.println(String.format(Locale.ROOT, "round %d: %.0f steps/s single thread, state only",
                    round, steps / seconds));
        }
        System.out.println("(checksum " + sink + ")");
    }
}
