package kiban.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import kiban.core.error.KibanException;
import kiban.core.json.Json;
import kiban.core.policy.Policy;
import kiban.core.progress.Progress;
import kiban.data.lerobot.LeRobotDataset;
import kiban.policy.run.Policies;
import kiban.policy.run.RunDirectory;
import kiban.sim.env.EnvProvider;
import kiban.sim.env.EnvRegistry;
import kiban.sim.env.TaskSchedule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kiban dagger}: DAgger (Ross et al., 2011) with the env's expert. Each round the newest
 * student drives episodes (as {@code kiban eval} runs it, its actions validated and clipped by the
 * env), the expert labels every state it visits, the labelled frames (with the camera's where the
 * student reads it) are appended to one LeRobot dataset that starts as a copy of the student's
 * own data, and a new student is trained on all of it with the first student's config: for an
 * {@code estimated-state} student, its estimator learns the pictures the student drove into, and
 * with {@code retrain_state_policy} its state policy learns the expert's labels of them as the new
 * estimator reads them ({@link StudentTrainer}).
 */
@Command(name = "dagger", mixinStandardHelpOptions = true,
        description = "DAgger: the student drives, the env's expert labels what it sees, the labelled episodes join the "
                + "data and a new student trains on all of it; repeated for --rounds.")
final class DaggerCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--env", required = true, description = "Simulator whose expert labels the states (see 'kiban sim list').")
    String env;

    @Option(names = "--policy-run", required = true, paramLabel = "RUN",
            description = "The first student: a run folder of 'kiban train' (its config.json trains every later student).")
    Path policyRun;

    @Option(names = "--dataset", paramLabel = "DIR", description = "The data the student was trained on, recorded from "
            + "--env by 'kiban data record' (with --video for a camera policy); copied, never changed. Default: none, "
            + "the students train on DAgger's episodes alone.")
    Path dataset;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds of drive, label and retrain (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--episodes", required = true, description = "Episodes the student drives in each round.")
    int episodes;

    @Option(names = "--seed", defaultValue = "0", description = "Episode i of the aggregated dataset uses seed+i, as "
            + "'kiban data record' (default: ${DEFAULT-VALUE}); keep it off your evaluation seeds.")
    long seed;

    @Option(names = "--steps", description = "Training steps of each new student (default: the first student's).")
    Long steps;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "A new or empty folder: data/ (the aggregated LeRobot dataset) and round-1, round-2, ... (the students).")
    Path out;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    /** One round: the episodes its student drove, how many of them it solved, and the student trained after. */
    record Round(int round, Path driver, int episodes, int successes, long frames, int datasetEpisodes, Path student,
            double finalLoss) {}

    @Override
    public void run() {
        if (rounds < 1 || episodes < 1) {
            throw new ParameterException(spec.commandLine(), "--rounds and --episodes must be at least 1, got " + rounds
                    + " and " + episodes);
        }
        if (steps != null && steps < 1) {
            throw new ParameterException(spec.commandLine(), "--steps must be at least 1, got " + steps);
        }
        RunDirectory first = new RunDirectory(policyRun);
        if (!Files.isRegularFile(first.config())) {
            throw new KibanException(policyRun + " is not a training run: it has no " + first.config().getFileName()
                    + " to train the next students with");
        }
        if (Files.exists(out) && !isEmptyFolder(out)) {
            throw new KibanException(out + " is not empty; DAgger writes a new folder (choose another --out)");
        }
        StudentTrainer trainer = StudentTrainer.of(first, Optional.ofNullable(steps));
        EnvProvider provider = EnvRegistry.load().get(env);
        boolean video = trainer.readsImages();
        Path data = out.resolve("data");
        if (dataset != null) {
            copyDataset(dataset, data, video);
        }
        List<Round> done = new ArrayList<>();
        Path driver = policyRun;
        AtomicBoolean stop = new AtomicBoolean();
        try (StopSignals signals = new StopSignals(() -> stop.set(true))) {
            for (int r = 1; r <= rounds && !stop.get(); r++) {
                int before = Files.isRegularFile(data.resolve("meta/info.json")) ? LeRobotDataset.open(data).episodes().size() : 0;
                SimRecorder.Result recorded;
                try (Policy student = Policies.load(driver);
                        Progress p = Progress.start("dagger round " + r + " drive", "episodes", before + episodes, true)) {
                    PolicyDriver d = PolicyDriver.of(student, driver, provider.spec());
                    if (d.readsImages() != video) {
                        throw new KibanException("the student " + driver + " reads " + (d.readsImages() ? "" : "no ")
                                + "camera images but its config says otherwise");
                    }
                    recorded = SimRecorder.record(provider, provider.policy("expert"), before + episodes, seed,
                            TaskSchedule.of(provider.spec(), null), data, true, false, video, 0, d, p, stop::get);
                }
                if (recorded.stopped()) {
                    break;
                }
                Path student = out.resolve("round-" + r);
                double finalLoss = trainer.train(data, student, r);
                done.add(new Round(r, driver, recorded.recorded(), recorded.successes(), recorded.frames(),
                        recorded.totalEpisodes(), student, finalLoss));
                driver = student;
            }
        }
        report(done, data);
    }

    /**
     * The student's data, copied so that DAgger's episodes extend it without touching the original;
     * copied beside {@code to} and moved there at once, so that {@code to} is never half a copy.
     */
    private void copyDataset(Path from, Path to, boolean video) {
        LeRobotDataset source = LeRobotDataset.open(from);
        if (video && source.info().videoFeatures().isEmpty()) {
            throw new KibanException(from + " has no video, but the student reads camera images; record it with --video");
        }
        Path staging = to.resolveSibling("." + to.getFileName() + ".copying");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = staging.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
            Files.move(staging, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }

    private static boolean isEmptyFolder(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private void report(List<Round> done, Path data) {
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            ObjectNode n = Json.object().put("env", env).put("first_student", policyRun.toString()).put("dataset", data.toString());
            ArrayNode a = n.putArray("rounds");
            for (Round r : done) {
                a.addObject().put("round", r.round()).put("driver", r.driver().toString()).put("episodes", r.episodes())
                        .put("driver_successes", r.successes()).put("labelled_frames", r.frames())
                        .put("dataset_episodes", r.datasetEpisodes()).put("student", r.student().toString())
                        .put("final_loss", r.finalLoss());
            }
            o.println(Json.pretty(n));
        } else {
            for (Round r : done) {
                o.printf("round %d: %s drove %s and solved %d; the expert labelled %s; %s (%s in all) trained %s (loss %.4f)%n",
                        r.round(), r.driver(), Text.count(r.episodes(), "episode"), r.successes(),
                        Text.count(r.frames(), "frame"), data, Text.count(r.datasetEpisodes(), "episode"), r.student(),
                        r.finalLoss());
            }
            if (done.size() < rounds) {
                o.printf("stopped after %d of %d rounds%n", done.size(), rounds);
            }
        }
        o.flush();
    }
}
