package kiban.policy.estimate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kiban.core.error.KibanException;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;
import kiban.core.policy.EstimatesState;
import kiban.core.policy.ImageSpec;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyMetadata;
import kiban.core.policy.PolicyObservation;
import kiban.data.sample.FrameIndex;
import kiban.policy.data.Episode;
import kiban.policy.run.PolicyFiles;
import kiban.policy.run.RunDirectory;
import kiban.policy.run.TrainedPolicy;

/**
 * A state policy that reads some of its state features from the camera: for every observation the
 * estimator reads the frame (and the state features it was trained to read beside it) and its
 * estimate replaces the estimated features of the state, whatever the observation carried there,
 * before the state policy answers. So it is given what a camera policy is given (PushT: the frame
 * and the agent's position) and never reads the estimated features from the observation.
 *
 * <p>An estimator may read several frames, the newest last, to see motion (highway: the other
 * vehicles' speeds). The policy then asks for that many observations more than the state policy,
 * less one: each of the state policy's observations is estimated from the frames up to it.
 *
 * <p>A run folder holds the two as Kiban training runs: {@code estimator/} and {@code state-policy/}.
 */
public final class EstimatedStatePolicy implements Policy, EstimatesState {

    static final String ESTIMATOR = "estimator";
    static final String STATE_POLICY = "state-policy";
    /** policy.json's map of the estimated features regressed relative to measured ones (none in older runs). */
    static final String RELATIVE_TO = "relative_to";
    /** Windows per estimator pass when reading a recorded episode. */
    private static final int READ_BATCH = 256;

    private final TrainedPolicy estimator;
    private final TrainedPolicy statePolicy;
    private final EstimatedFeatures features;
    private final PolicyMetadata metadata;
    /** The state elements taken from the observation instead of the estimator ({@link #measure}). */
    private volatile int[] measured = new int[0];
    /** The newest observation of the last history answered, as the state policy read it (null before). */
    private volatile double[] lastReading;

    EstimatedStatePolicy(TrainedPolicy estimator, TrainedPolicy statePolicy, EstimatedFeatures features) {
        this.estimator = estimator;
        this.statePolicy = statePolicy;
        this.features = features;
        this.metadata = combined(statePolicy.metadata(), estimator.metadata());
    }

    /** What the two serve together: the state policy's chunk, the estimator's cameras, the history both need. */
    private static PolicyMetadata combined(PolicyMetadata statePolicy, PolicyMetadata estimator) {
        return statePolicy.withImages(estimator.images())
                .withObservationSteps(statePolicy.observationSteps() + estimator.observationSteps() - 1);
    }

    /** Loads the run in {@code dir}; errors name the file that is missing or wrong. */
    public static EstimatedStatePolicy load(Path dir) {
        RunDirectory run = new RunDirectory(dir);
        FieldReader policy = FieldReader.root(Json.readTree(run.policy()), run.policy().toString());
        List<String> names = policy.requireList("estimate", v -> v.node().asText());
        Map<String, String> relativeTo = policy.optMap(RELATIVE_TO, v -> v.node().asText());
        TrainedPolicy estimator = TrainedPolicy.load(dir.resolve(ESTIMATOR));
        try {
            TrainedPolicy state = TrainedPolicy.load(dir.resolve(STATE_POLICY));
            try {
                if (!state.metadata().observation().equals(estimator.metadata().observation())) {
                    throw new KibanException(dir + ": the estimator and the state policy read different state features");
                }
                return new EstimatedStatePolicy(estimator, state, new EstimatedFeatures(state.metadata().observation(), names,
                        relativeTo, run.policy().toString()));
            } catch (RuntimeException e) {
                state.close();
                throw e;
            }
        } catch (RuntimeException e) {
            estimator.close();
            throw e;
        }
    }

    /**
     * What the run in {@code dir} serves, read from its two runs' {@code policy.json} without loading
     * their networks: the state policy's chunk and features, reading the estimator's cameras.
     */
    static PolicyMetadata metadata(Path dir) {
        return combined(PolicyFiles.read(new RunDirectory(dir.resolve(STATE_POLICY)).policy()),
                PolicyFiles.read(new RunDirectory(dir.resolve(ESTIMATOR)).policy()));
    }

    /** The state policy's chunk and features, reading the estimator's cameras. */
    @Override
    public PolicyMetadata metadata() {
        return metadata;
    }

    /** The estimator, for the parameter count and held-out figures. */
    TrainedPolicy estimator() {
        return estimator;
    }

    TrainedPolicy statePolicy() {
        return statePolicy;
    }

    /** Which state features the estimate replaces. */
    EstimatedFeatures features() {
        return features;
    }

    @Override
    public List<String> estimatedFeatures() {
        return features.names();
    }

    @Override
    public double[] lastReading() {
        return lastReading;
    }

    @Override
    public void measure(List<String> names) {
        for (String n : names) {
            if (!features.names().contains(n)) {
                throw new IllegalArgumentException("\"" + n + "\" is not one of the estimated features " + features.names());
            }
        }
        List<Integer> elements = new ArrayList<>();
        List<EstimatedFeatures.Replaced> replaced = features.replaced();
        for (int i = 0; i < replaced.size(); i++) {
            if (names.contains(features.names().get(i))) {
                for (int k = 0; k < replaced.get(i).size(); k++) {
                    elements.add(replaced.get(i).offset() + k);
                }
            }
        }
        measured = elements.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Every window of every history estimated in one forward pass, then the state policy's one pass. */
    @Override
    public double[][][] inferBatch(PolicyObservation[][] histories) {
        return statePolicy.inferBatch(estimated(histories));
    }

    @Override
    public boolean continuesChunks() {
        return statePolicy.continuesChunks();
    }

    @Override
    public double[][] inferContinuing(PolicyObservation[] history, double[][] frozen) {
        return statePolicy.inferContinuing(estimated(new PolicyObservation[][] {history})[0], frozen);
    }

    @Override
    public double[][] inferContinuing(PolicyObservation[] history, double[][] frozen, double[][] following) {
        return statePolicy.inferContinuing(estimated(new PolicyObservation[][] {history})[0], frozen, following);
    }

    /**
     * The histories as the state policy reads them: its last observations, each with its estimated
     * features replaced by the estimator's reading of the frames up to it.
     */
    PolicyObservation[][] estimated(PolicyObservation[][] histories) {
        int window = estimator.metadata().observationSteps();
        List<PolicyObservation[]> windows = new ArrayList<>();
        for (PolicyObservation[] h : histories) {
            if (h.length != metadata.observationSteps()) {
                throw new IllegalArgumentException("the policy reads " + metadata.observationSteps() + " observations, got "
                        + h.length);
            }
            for (int end = window; end <= h.length; end++) {
                windows.add(Arrays.copyOfRange(h, end - window, end));
            }
        }
        PolicyObservation[] read = estimates(windows.toArray(PolicyObservation[][]::new));
        int steps = statePolicy.metadata().observationSteps();
        PolicyObservation[][] out = new PolicyObservation[histories.length][];
        for (int i = 0; i < histories.length; i++) {
            out[i] = Arrays.copyOfRange(read, i * steps, (i + 1) * steps);
        }
        lastReading = read[read.length - 1].state().clone();
        return out;
    }

    /**
     * For each window of the estimator's observations (oldest first), its newest observation with the
     * estimated features replaced by the estimator's reading: all windows in one forward pass.
     */
    PolicyObservation[] estimates(PolicyObservation[][] windows) {
        double[][][] estimates = estimator.inferBatch(windows);
        PolicyObservation[] out = new PolicyObservation[windows.length];
        for (int i = 0; i < windows.length; i++) {
            PolicyObservation o = windows[i][windows[i].length - 1];
            double[] state = features.substitute(o.state(), estimates[i][0]);
            for (int k : measured) {
                state[k] = o.state()[k];
            }
            out[i] = new PolicyObservation(state, Map.of(), o.instruction(), o.embodiment());
        }
        return out;
    }

    /**
     * The states of a recorded episode as the state policy reads them here: each frame's estimated
     * features replaced by the estimator's reading of the frames up to it, the first frame repeated
     * at the start as a running policy's history is.
     */
    double[][] read(Episode e) {
        List<ImageSpec> cameras = metadata.images();
        int window = estimator.metadata().observationSteps();
        double[][] out = new double[e.length()][];
        for (int from = 0; from < e.length(); from += READ_BATCH) {
            PolicyObservation[][] windows = new PolicyObservation[Math.min(READ_BATCH, e.length() - from)][window];
            for (int i = 0; i < windows.length; i++) {
                for (int k = 0; k < window; k++) {
                    int f = FrameIndex.clamp(from + i, k - window + 1, e.length());
                    Map<String, byte[]> frames = new HashMap<>();
                    for (int c = 0; c < cameras.size(); c++) {
                        frames.put(cameras.get(c).name(), e.images().get(c).frame(f));
                    }
                    windows[i][k] = new PolicyObservation(e.observations()[f], frames);
                }
            }
            PolicyObservation[] read = estimates(windows);
            for (int i = 0; i < read.length; i++) {
                out[from + i] = read[i].state();
            }
        }
        return out;
    }

    @Override
    public List<String> instructions() {
        return statePolicy.instructions();
    }

    @Override
    public void reset() {
        estimator.reset();
        statePolicy.reset();
    }

    @Override
    public void seed(long seed) {
        statePolicy.seed(seed);
    }

    @Override
    public void close() {
        try {
            estimator.close();
        } finally {
            statePolicy.close();
        }
    }
}
