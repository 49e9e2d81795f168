package kiban.policy.estimate;

import java.nio.file.Path;
import java.util.Map;
import kiban.core.error.KibanException;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyMetadata;
import kiban.core.policy.PolicyObservation;
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
 * <p>A run folder holds the two as Kiban training runs: {@code estimator/} and {@code state-policy/}.
 */
public final class EstimatedStatePolicy implements Policy {

    static final String ESTIMATOR = "estimator";
    static final String STATE_POLICY = "state-policy";

    private final TrainedPolicy estimator;
    private final TrainedPolicy statePolicy;
    private final EstimatedFeatures features;
    private final PolicyMetadata metadata;

    EstimatedStatePolicy(TrainedPolicy estimator, TrainedPolicy statePolicy, EstimatedFeatures features) {
        this.estimator = estimator;
        this.statePolicy = statePolicy;
        this.features = features;
        this.metadata = statePolicy.metadata().withImages(estimator.metadata().images());
    }

    /** Loads the run in {@code dir}; errors name the file that is missing or wrong. */
    public static EstimatedStatePolicy load(Path dir) {
        RunDirectory run = new RunDirectory(dir);
        java.util.List<String> names = estimatedNames(run);
        TrainedPolicy estimator = TrainedPolicy.load(dir.resolve(ESTIMATOR));
        try {
            TrainedPolicy state = TrainedPolicy.load(dir.resolve(STATE_POLICY));
            try {
                if (!state.metadata().observation().equals(estimator.metadata().observation())) {
                    throw new KibanException(dir + ": the estimator and the state policy read different state features");
                }
                return new EstimatedStatePolicy(estimator, state, new EstimatedFeatures(state.metadata().observation(), names,
                        run.policy().toString()));
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
        return PolicyFiles.read(new RunDirectory(dir.resolve(STATE_POLICY)).policy())
                .withImages(PolicyFiles.read(new RunDirectory(dir.resolve(ESTIMATOR)).policy()).images());
    }

    /** The state features {@code policy.json} says the camera stands in for. */
    static java.util.List<String> estimatedNames(RunDirectory run) {
        FieldReader r = FieldReader.root(Json.readTree(run.policy()), run.policy().toString());
        return r.requireList("estimate", v -> v.node().asText());
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

    /** Every frame of every history estimated in one forward pass, then the state policy's one pass. */
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

    /** The histories with each observation's estimated features replaced by the estimator's reading of its frame. */
    PolicyObservation[][] estimated(PolicyObservation[][] histories) {
        int n = 0;
        for (PolicyObservation[] h : histories) {
            n += h.length;
        }
        PolicyObservation[][] frames = new PolicyObservation[n][];
        int k = 0;
        for (PolicyObservation[] h : histories) {
            for (PolicyObservation o : h) {
                frames[k++] = new PolicyObservation[] {o};
            }
        }
        double[][][] estimates = estimator.inferBatch(frames);
        PolicyObservation[][] out = new PolicyObservation[histories.length][];
        k = 0;
        for (int i = 0; i < histories.length; i++) {
            out[i] = new PolicyObservation[histories[i].length];
            for (int j = 0; j < out[i].length; j++) {
                PolicyObservation o = histories[i][j];
                out[i][j] = new PolicyObservation(features.substitute(o.state(), estimates[k++][0]), Map.of(), o.instruction(),
                        o.embodiment());
            }
        }
        return out;
    }

    @Override
    public java.util.List<String> instructions() {
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
