package kiban.health.rul;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;
import kiban.health.cmapss.EngineUnit;
import kiban.policy.nn.Blocks;

/** A trained RUL model loaded from its run folder: it predicts a unit's RUL at its last cycle. */
public final class RulModel implements AutoCloseable {

    private final RulRun run;
    private final RulConfig config;
    private final RulFeatures features;
    private final RulNetwork net;
    private final NDManager manager;
    private final Path trainFile;
    private final String subset;
    private final List<Integer> validationUnits;

    private RulModel(RulRun run, RulConfig config, RulFeatures features, Path trainFile, String subset,
            List<Integer> validationUnits) {
        this.run = run;
        this.config = config;
        this.features = features;
        this.trainFile = trainFile;
        this.subset = subset;
        this.validationUnits = List.copyOf(validationUnits);
        this.net = new RulNetwork(config, features.size());
        this.manager = NDManager.newBaseManager();
    }

    /** Loads the run in {@code dir}; a folder that holds no finished run is an error naming what is missing. */
    public static RulModel load(Path dir) {
        RulRun run = new RulRun(dir);
        for (Path p : List.of(run.config(), run.features(), run.data(), run.model())) {
            if (!Files.isRegularFile(p)) {
                throw new InvalidInputException(dir.toString(), "", "a RUL run folder (kiban rul train --out) with "
                        + p.getFileName(), "no " + p);
            }
        }
        RulConfig config = RulConfig.read(Json.readTree(run.config()), run.config().toString(),
                RulConfig.defaults(RulModelType.CNN));
        RulFeatures features = RulFeatures.read(Json.readTree(run.features()), run.features().toString());
        FieldReader data = FieldReader.root(Json.readTree(run.data()), run.data().toString());
        RulModel model = new RulModel(run, config, features, Path.of(data.requireText("train")), data.requireText("subset"),
                data.requireList("validation_units", f -> (int) f.asDouble(1, Integer.MAX_VALUE)));
        try {
            model.loadWeights();
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    private void loadWeights() {
        net.block().initialize(manager, DataType.FLOAT32, net.inputShape());
        Map<String, NDArray> saved = new HashMap<>();
        try (InputStream in = Files.newInputStream(run.model())) {
            NDList list = NDList.decode(manager, in);
            list.forEach(a -> saved.put(a.getName(), a));
        } catch (IOException | RuntimeException e) {
            throw new KibanException(run.model() + ": not a RUL model's weights: " + e.getMessage(), e);
        }
        for (var p : net.block().getParameters()) {
            NDArray w = saved.get(p.getKey());
            if (w == null || !w.getShape().equals(p.getValue().getArray().getShape())) {
                throw new InvalidInputException(run.model().toString(), p.getKey(), "weights of shape "
                        + p.getValue().getArray().getShape() + " for the " + config.model().id() + " network of "
                        + run.config(), w == null ? "none" : String.valueOf(w.getShape()));
            }
            Blocks.assign(p.getValue().getArray(), w);
        }
    }

    public RulConfig config() {
        return config;
    }

    public RulFeatures features() {
        return features;
    }

    /** The training file the run read, as {@code data.json} records it. */
    public Path trainFile() {
        return trainFile;
    }

    public String subset() {
        return subset;
    }

    /** The training units the run held out for validation, by unit number. */
    public List<Integer> validationUnits() {
        return validationUnits;
    }

    /** The predicted RUL of each unit at its last cycle, in cycles, clipped to [0, cap]. */
    public double[] predictLast(List<EngineUnit> units) {
        RulWindows windows = RulWindows.lastCycles(units.stream().map(features::apply).toList(), config.window());
        return RulTrainer.predict(net, manager, windows, config.cap());
    }

    /** The predicted RUL of each window (normalised features, as {@link #features()} gives them), in cycles. */
    public double[] predict(RulWindows windows) {
        return RulTrainer.predict(net, manager, windows, config.cap());
    }

    /** The predicted RUL at every cycle from the window's on (for plots of a unit's life). */
    public double[] predictEveryCycle(EngineUnit unit) {
        RulWindows windows = RulWindows.training(List.of(unit), List.<float[][]>of(features.apply(unit)), config.window(),
                Integer.MAX_VALUE);
        return RulTrainer.predict(net, manager, windows, config.cap());
    }

    @Override
    public void close() {
        manager.close();
    }
}
