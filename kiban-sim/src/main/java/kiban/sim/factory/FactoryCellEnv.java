package kiban.sim.factory;

import static kiban.sim.factory.CellModel.*;

import java.util.Map;
import java.util.SplittableRandom;
import kiban.sim.env.AbstractEnv;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvSpec;
import kiban.sim.env.Image;

/**
 * A conveyor feeding one machine station that wears with load. Each step is one simulated
 * minute; see the package documentation for the model. The wear is hidden: a policy sees only
 * the speeds, vibration, temperature, buffer, machine state and the two task features.
 */
public final class FactoryCellEnv extends AbstractEnv {

    private static final double TEMP_ALPHA = 1 - Math.exp(-MINUTES_PER_STEP / TEMP_TIME_CONSTANT_MINUTES);

    private SplittableRandom random = new SplittableRandom(0);
    private double loadScale = 1;
    private double frictionScale = 1;
    private double vibrationBase;

    private double conveyorSpeed;
    private double machineSpeed;
    private double wear;
    private double temperature;
    private double vibrationReading;
    private double temperatureReading;
    private int buffer;
    private double progress;
    private MachineState state = MachineState.IDLE;
    private int downLeft;
    private long minutesSinceService;

    private long minutes;
    private long failedMinutes;
    private long maintenanceMinutes;
    private long totalParts;
    private long goodParts;
    private long blockedParts;
    private int failures;
    private int maintenances;
    private double lifeUsed;
    private CellTask cellTask = CellTask.FAVOUR_THROUGHPUT;

    FactoryCellEnv(EnvSpec spec, EnvConfig config) {
        super(spec, config);
    }

    @Override
    protected double[] doReset(long seed) {
        cellTask = CellTask.of(task()); // the task changes only judging and reward: every draw below is the same
        random = new SplittableRandom(seed);
        loadScale = scale(random, config.randomization().massSpread());
        frictionScale = scale(random, config.randomization().frictionSpread());
        vibrationBase = VIBRATION_BASE_MIN + (VIBRATION_BASE_MAX - VIBRATION_BASE_MIN) * random.nextDouble();
        wear = INITIAL_WEAR_MAX * random.nextDouble();
        minutesSinceService = Math.round(wear / WEAR_PER_MINUTE);
        conveyorSpeed = 1;
        machineSpeed = 1;
        buffer = random.nextInt(BUFFER_CAPACITY / 2 + 1);
        progress = 0;
        state = buffer > 0 ? MachineState.RUNNING : MachineState.IDLE;
        downLeft = 0;
        temperature = temperatureTarget(wear, machineSpeed, true); // the shift starts warm, mid-run
        minutes = failedMinutes = maintenanceMinutes = totalParts = goodParts = blockedParts = 0;
        failures = maintenances = 0;
        lifeUsed = 0;
        readSensors(state == MachineState.RUNNING);
        return stateVector();
    }

    @Override
    protected Transition doStep(double[] action) {
        // the drives reach any set point well inside a simulated minute (max_rate 0.5/s)
        conveyorSpeed = action[0];
        machineSpeed = action[1];
        boolean requested = action[2] >= 0.5;

        int arrivals = Sampling.poisson(random, ARRIVALS_PER_MINUTE * MINUTES_PER_STEP * conveyorSpeed / frictionScale);
        int admitted = Math.min(arrivals, BUFFER_CAPACITY - buffer);
        buffer += admitted;
        blockedParts += arrivals - admitted;

        if (requested && !state.down()) {
            state = MachineState.MAINTENANCE;
            downLeft = Sampling.lognormalMinutes(random, MAINTENANCE_MEDIAN_MINUTES, MAINTENANCE_LOG_SIGMA);
            maintenances++;
        }
        minutesSinceService++;
        double reward;
        boolean running = false;
        long goodBefore = goodParts;
        double lifeBefore = lifeUsed;
        if (state.down()) {
            reward = serviceMinute();
        } else {
            running = machineSpeed > 0 && buffer > 0;
            if (running) {
                runMinute();
            }
            if (!state.down()) {
                state = running ? MachineState.RUNNING : MachineState.IDLE;
            }
            reward = 0;
        }
        temperature += (temperatureTarget(wear, machineSpeed, running) - temperature) * TEMP_ALPHA;
        if (temperature >= TRIP_TEMPERATURE_C && !state.down()) {
            fail();
        }
        reward += goodParts - goodBefore;
        if (cellTask == CellTask.FAVOUR_MACHINE_LIFE) {
            reward -= CellTask.LIFE_WEAR_COST * (lifeUsed - lifeBefore);
        }
        minutes++;
        readSensors(running);
        Map<String, Double> info = kpis().toMap();
        info.put("blocked_parts", (double) blockedParts);
        return new Transition(stateVector(), reward, false, info);
    }

    /** One minute of repair or maintenance; returns its cost. */
    private double serviceMinute() {
        boolean repair = state == MachineState.FAILED;
        if (repair) {
            failedMinutes++;
        } else {
            maintenanceMinutes++;
        }
        if (--downLeft == 0) {
            // corrective repair replaces the worn part; maintenance is imperfect and leaves a little wear
            wear = repair ? 0 : Math.min(wear, MAINTENANCE_RESIDUAL_WEAR * random.nextDouble());
            state = MachineState.IDLE;
            minutesSinceService = 0;
        }
        return -(repair ? FAILED_MINUTE_COST : MAINTENANCE_MINUTE_COST);
    }

    /** One minute of processing: parts (unless a minor stop takes the minute), wear, and the chance of a breakdown. */
    private void runMinute() {
        if (random.nextDouble() >= minorStopProbability(wear)) {
            progress += machineSpeed * MINUTES_PER_STEP / IDEAL_CYCLE_MINUTES;
        }
        double scrap = scrapProbability(wear, machineSpeed);
        while (progress >= 1 && buffer > 0) {
            progress -= 1;
            buffer--;
            totalParts++;
            if (random.nextDouble() >= scrap) {
                goodParts++;
            }
        }
        if (buffer == 0) {
            progress = Math.min(progress, 1); // an empty buffer cannot bank capacity
        }
        double worn = wearIncrement(random, machineSpeed, loadScale);
        wear += worn;
        lifeUsed += worn;
        double p = 1 - Math.exp(-hazard(wear, machineSpeed) * MINUTES_PER_STEP);
        if (random.nextDouble() < p || wear >= WEAR_LIMIT) {
            fail();
        }
    }

    private void fail() {
        state = MachineState.FAILED;
        downLeft = Sampling.lognormalMinutes(random, REPAIR_MEDIAN_MINUTES, REPAIR_LOG_SIGMA);
        failures++;
    }

    private void readSensors(boolean running) {
        double v = running
                ? vibrationMean(vibrationBase, wear, machineSpeed) + VIBRATION_NOISE * random.nextGaussian()
                : VIBRATION_STOPPED + 0.05 * Math.abs(random.nextGaussian());
        vibrationReading = Math.max(0, Math.min(50, v));
        temperatureReading = Math.max(0, Math.min(200, temperature + TEMP_NOISE * random.nextGaussian()));
    }

    private double[] stateVector() {
        double[] s = new double[CellObservation.SIZE];
        s[CellObservation.CONVEYOR_SPEED] = conveyorSpeed;
        s[CellObservation.MACHINE_SPEED] = machineSpeed;
        s[CellObservation.VIBRATION_RMS] = vibrationReading;
        s[CellObservation.TEMPERATURE] = temperatureReading;
        s[CellObservation.BUFFER_LEVEL] = buffer;
        s[CellObservation.MACHINE_STATE] = state.code();
        s[CellObservation.PARTS_DONE] = goodParts;
        s[CellObservation.MINUTES_SINCE_SERVICE] = minutesSinceService;
        return s;
    }

    @Override
    protected double[] holdAction() {
        return new double[] {conveyorSpeed, machineSpeed, 0};
    }

    @Override
    public Image render(int height, int width) {
        return varied(CellRenderer.draw(height, width, state, buffer, vibrationReading, temperatureReading, conveyorSpeed,
                machineSpeed));
    }

    /** The shift figures so far. */
    public CellKpis kpis() {
        return new CellKpis(minutes, failedMinutes, maintenanceMinutes, totalParts, goodParts, failures, maintenances,
                IDEAL_CYCLE_MINUTES);
    }

    @Override
    public Map<String, Double> episodeMetrics() {
        Map<String, Double> m = kpis().toMap();
        m.put("blocked_parts", (double) blockedParts);
        if (cellTask == CellTask.FAVOUR_MACHINE_LIFE) {
            // only here, so that the first task's metrics (and the OPC UA nodes made from them) stay as they were
            m.put("life_used", lifeUsed);
        }
        m.put("success", success() ? 1.0 : 0.0);
        return m;
    }

    /**
     * Whether the episode so far meets its task ({@link CellTask}). Under favour-throughput its OEE
     * must reach {@value #SUCCESS_OEE}: between the ~60% quoted for typical plants and the ~85%
     * "world class" figure, and unreachable without keeping unplanned down time low.
     */
    @Override
    public boolean success() {
        return cellTask.success(kpis(), lifeUsed);
    }

    /** The OEE a favour-throughput episode must reach to count as a success. */
    public static final double SUCCESS_OEE = 0.75;

    /** The machine state right now. */
    public MachineState machineState() {
        return state;
    }

    // Hidden state, for tests in this package only: no policy may read it.

    double wear() {
        return wear;
    }

    int downLeft() {
        return downLeft;
    }

    /** Wear gained since the episode started, whatever maintenance and repair took off: the machine life used. */
    double lifeUsed() {
        return lifeUsed;
    }
}
