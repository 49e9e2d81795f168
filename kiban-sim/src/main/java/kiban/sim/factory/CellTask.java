package kiban.sim.factory;

import kiban.sim.env.EnvTask;

/**
 * The tasks a factory cell poses: the same cell from the same start, judged and rewarded for
 * opposite priorities, so only the instruction tells a policy which one it is given. Output and
 * machine life pull apart because wear grows as speed cubed while output grows with speed.
 */
public enum CellTask {

    /**
     * Today's task: OEE of at least {@value FactoryCellEnv#SUCCESS_OEE}. At or below nominal speed
     * OEE is good parts an hour over 60, so this asks for 45 good parts an hour, overspeed earning
     * nothing (performance is capped at 1).
     */
    FAVOUR_THROUGHPUT("favour-throughput",
            "Favour throughput: keep the cell's OEE at 75% or better over the five days."),

    /**
     * Spare the machine: use at most {@value #LIFE_BUDGET_FRACTION} of the wear that running at
     * nominal speed all episode would cause, break down at most {@value #LIFE_MAX_FAILURES} times,
     * and still make {@value #LIFE_MIN_THROUGHPUT} good parts an hour, so that idling is no answer.
     */
    FAVOUR_MACHINE_LIFE("favour-machine-life",
            "Favour machine life: run the machine gently, at no more than half its full-speed wear and with"
                    + " at most two breakdowns, while still making at least 30 good parts an hour.");

    /** Share of the nominal-speed wear of a whole episode that favour-machine-life may use. */
    public static final double LIFE_BUDGET_FRACTION = 0.5;
    /**
     * Breakdowns favour-machine-life tolerates: random failures (one a week of running at nominal
     * speed) strike however well the machine is kept, about 0.4 in an episode at the task's pace,
     * while running a gentle machine to failure breaks it two or three times.
     */
    public static final int LIFE_MAX_FAILURES = 2;
    /** Good parts an hour favour-machine-life still demands: half the nominal rate. */
    public static final double LIFE_MIN_THROUGHPUT = 30;
    /**
     * Reward per unit of wear under favour-machine-life, in parts: wear 1.0 is a day of nominal
     * running, priced at 1000 of its 1440 parts, so the reward per minute {@code s - 1000 s^3/1440}
     * peaks near speed 0.7 (0.68 with the minor stops' 5% loss).
     */
    public static final double LIFE_WEAR_COST = 1000;

    private final EnvTask task;

    CellTask(String name, String instruction) {
        this.task = new EnvTask(name, instruction);
    }

    /** The name and instruction a policy is given. */
    public EnvTask envTask() {
        return task;
    }

    /** The cell task an env task stands for. */
    public static CellTask of(EnvTask task) {
        for (CellTask t : values()) {
            if (t.task.equals(task)) {
                return t;
            }
        }
        throw new IllegalArgumentException("not a factory-cell task: " + task);
    }

    /** Wear that favour-machine-life allows over a whole episode: half a day per day. */
    public static double lifeBudget() {
        return LIFE_BUDGET_FRACTION * CellModel.EPISODE_STEPS * CellModel.WEAR_PER_MINUTE;
    }

    /**
     * Whether an episode with these figures so far meets the task; {@code lifeUsed} is the wear
     * gained so far (hidden from policies, known to the judge).
     */
    boolean success(CellKpis kpis, double lifeUsed) {
        if (kpis.plannedMinutes() == 0) {
            return false;
        }
        return switch (this) {
            case FAVOUR_THROUGHPUT -> kpis.oee() >= FactoryCellEnv.SUCCESS_OEE;
            case FAVOUR_MACHINE_LIFE -> lifeUsed <= lifeBudget() && kpis.failures() <= LIFE_MAX_FAILURES
                    && kpis.throughput() >= LIFE_MIN_THROUGHPUT;
        };
    }
}
