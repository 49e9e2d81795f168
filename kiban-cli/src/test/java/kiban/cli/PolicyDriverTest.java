package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kiban.core.policy.PolicyMetadata;
import kiban.core.policy.PolicyObservation;
import kiban.core.policy.UnbatchedPolicy;
import kiban.sim.env.EnvRegistry;
import kiban.sim.env.EnvSpec;
import kiban.sim.env.Observation;
import org.junit.jupiter.api.Test;

class PolicyDriverTest {

    /** Keeps the instruction of each observation it is given; answers zeros. */
    private static final class Listening implements UnbatchedPolicy {
        final List<String> heard = new ArrayList<>();
        final PolicyMetadata metadata;

        Listening(EnvSpec env) {
            metadata = new PolicyMetadata("listening", env.observation(), env.action(), 1, 4, 4);
        }

        @Override
        public PolicyMetadata metadata() {
            return metadata;
        }

        @Override
        public double[][] inferOne(PolicyObservation[] history) {
            heard.add(history[history.length - 1].instruction());
            return new double[4][metadata.actionDim()];
        }
    }

    @Test
    void aDrivingPolicyIsToldEachEpisodesTaskAsKibanEvalTellsIt() {
        EnvSpec ur5e = EnvRegistry.load().get("ur5e-pick-place").spec();
        Listening policy = new Listening(ur5e);
        PolicyDriver driver = PolicyDriver.of(policy, Path.of("listening"), ur5e);
        Observation zeros = Observation.of(new double[ur5e.observationDim()]);
        for (int task = 0; task < 2; task++) {
            driver.reset(task, ur5e.tasks().get(task));
            driver.act(zeros);
        }
        assertThat(policy.heard).containsExactly(ur5e.tasks().get(0).instruction(), ur5e.tasks().get(1).instruction());
    }
}
