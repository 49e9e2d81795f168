package kiban.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kiban.core.progress.Progress;
import kiban.policy.data.Episode;
import kiban.policy.data.TrainingData;
import kiban.policy.model.MlpNetwork;
import kiban.policy.run.RunDirectory;
import kiban.policy.run.TrainConfig;
import kiban.policy.train.PolicyTrainer;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvProvider;
import kiban.sim.env.EnvRegistry;
import kiban.sim.env.Expert;
import kiban.sim.env.Observation;

/**
 * A real training run with PushT's sizes, trained in a few seconds: an mlp with the default
 * widths, observation steps, horizon and normalisation, on a few short expert episodes. Its
 * weights are barely trained; a latency benchmark times the network, not its skill.
 */
public final class PushTRun {

    static final String ENV = "pusht";
    private static final int EPISODES = 4;
    private static final int EPISODE_STEPS = 40;
    private static final int TRAIN_STEPS = 30;

    private PushTRun() {}

    /** Trains the run into {@code dir} and returns it. */
    public static Path train(Path dir) {
        EnvProvider provider = EnvRegistry.load().get(ENV);
        List<Episode> episodes = new ArrayList<>();
        try (Env env = provider.create(EnvConfig.DEFAULT)) {
            Expert expert = provider.expert(env);
            for (int e = 0; e < EPISODES; e++) {
                Observation o = env.reset(e);
                expert.reset(e);
                double[][] obs = new double[EPISODE_STEPS][];
                double[][] act = new double[EPISODE_STEPS][];
                for (int t = 0; t < EPISODE_STEPS; t++) {
                    obs[t] = o.state();
                    act[t] = expert.act(o);
                    o = env.step(act[t]).observation();
                }
                episodes.add(new Episode(obs, act));
            }
            TrainingData data = TrainingData.split(env.spec().observation(), env.spec().action(), episodes, 0.25,
                    "pusht expert", "none");
            TrainConfig config = TrainConfig.defaults().with(c -> c.put("policy", MlpNetwork.TYPE).put("steps", TRAIN_STEPS)
                    .put("batch", 32).put("checkpoint_every", TRAIN_STEPS).put("validate_every", TRAIN_STEPS)
                    .put("warmup_steps", 2));
            new PolicyTrainer(config, data, new RunDirectory(dir)).train(false,
                    Progress.to(new PrintStream(OutputStream.nullOutputStream()), "train", "steps", 0));
        }
        return dir;
    }
}
