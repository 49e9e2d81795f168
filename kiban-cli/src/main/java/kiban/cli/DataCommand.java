package kiban.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import kiban.core.error.InvalidInputException;
import kiban.core.json.Json;
import kiban.core.normalize.FeatureStats;
import kiban.data.lerobot.DatasetConverter;
import kiban.data.lerobot.DatasetInfo;
import kiban.data.lerobot.DatasetValidator;
import kiban.data.lerobot.EpisodeInfo;
import kiban.data.lerobot.Feature;
import kiban.data.lerobot.KibanMeta;
import kiban.data.lerobot.LeRobotDataset;
import kiban.data.lerobot.ValidationIssue;
import kiban.data.lerobot.ValidationReport;
import kiban.data.stats.StatsAggregation;
import kiban.data.stats.StatsJson;
import kiban.data.table.Column;
import kiban.data.table.StringColumn;
import kiban.data.table.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kiban data}: inspect, validate, convert LeRobot datasets. */
@Command(
        name = "data",
        mixinStandardHelpOptions = true,
        description = "Inspect, validate and convert LeRobot datasets (v3.0; v2.1 and v2.0 read and converted).",
        subcommands = {
            DataRecordCommand.class,
            DataCommand.InfoCommand.class,
            DataCommand.ValidateCommand.class,
            DataCommand.StatsCommand.class,
            DataCommand.ConvertCommand.class,
            DataCommand.HeadCommand.class
        })
final class DataCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static ObjectNode infoJson(LeRobotDataset ds) {
        DatasetInfo info = ds.info();
        ObjectNode o = Json.object();
        o.put("codebase_version", info.version().text());
        if (info.robotType() == null) {
            o.putNull("robot_type");
        } else {
            o.put("robot_type", info.robotType());
        }
        o.put("fps", info.fps());
        o.put("total_episodes", ds.episodes().size());
        o.put("total_frames", ds.totalFrames());
        o.put("total_tasks", ds.tasks().size());
        ObjectNode f = o.putObject("features");
        info.features().forEach((k, v) -> f.set(k, v.json()));
        // Kiban's own metadata (meta/kiban.json), where the dataset has it.
        KibanMeta.read(ds.root()).flatMap(KibanMeta::randomization).ifPresent(r -> o.set("frame_randomization", r.json()));
        return o;
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Summarise a dataset: version, robot, fps, totals, features.")
    static final class InfoCommand implements Runnable {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "Dataset directory.")
        Path dir;

        @Option(names = "--json", description = "Print JSON: codebase_version, robot_type, fps, total_episodes, total_frames, "
                + "total_tasks, features, and frame_randomization where the frames were randomised.")
        boolean json;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            LeRobotDataset ds = LeRobotDataset.open(dir);
            if (json) {
                out.println(Json.pretty(infoJson(ds)));
                return;
            }
            DatasetInfo info = ds.info();
            out.printf("%s: LeRobot %s, robot %s, %d fps%n", dir, info.version().text(), info.robotType(), info.fps());
            out.printf("%s, %s (%s s), %s%n", Text.count(ds.episodes().size(), "episode"), Text.count(ds.totalFrames(), "frame"),
                    Text.number(ds.totalFrames() / (double) info.fps()), Text.count(ds.tasks().size(), "task"));
            out.println("features:");
            for (Feature f : info.features().values()) {
                out.printf("  %-32s %-8s %s%n", f.name(), f.dtype(), f.shape());
            }
            KibanMeta.read(ds.root()).flatMap(KibanMeta::randomization)
                    .ifPresent(r -> out.println("frames: " + r.describe()));
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check every invariant of a dataset; list each violation with file, episode and frame; exit 1 if any.")
    static final class ValidateCommand implements Runnable {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "Dataset directory.")
        Path dir;

        @Option(names = "--json", description = "Print JSON: valid, version, issues, suppressed.")
        boolean json;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            ValidationReport r = DatasetValidator.validate(dir);
            if (json) {
                ObjectNode o = Json.object();
                o.put("dataset", r.root()).put("version", r.version()).put("valid", r.valid());
                o.put("errors", r.errors().size()).put("warnings", r.warnings().size()).put("suppressed", r.suppressed());
                ArrayNode a = o.putArray("issues");
                for (ValidationIssue i : r.issues()) {
                    ObjectNode n = a.addObject().put("severity", i.severity().name().toLowerCase()).put("file", i.file());
                    if (i.episode() != null) {
                        n.put("episode", i.episode());
                    }
                    if (i.frame() != null) {
                        n.put("frame", i.frame());
                    }
                    n.put("message", i.message());
                }
                out.println(Json.pretty(o));
            } else {
                r.issues().forEach(out::println);
                if (r.suppressed() > 0) {
                    out.println("(" + r.suppressed() + " more issues not listed)");
                }
                out.printf("%s: %s, %s, %s%n", dir, r.valid() ? "valid" : "INVALID", Text.count(r.errors().size(), "error"),
                        Text.count(r.warnings().size(), "warning"));
            }
            out.flush();
            if (!r.valid()) {
                throw new ExitException(dir + ": " + Text.count(r.errors().size() + r.suppressed(), "validation error"), ErrorHandler.EXIT_FAILURE);
            }
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Print per-feature statistics (stats.json, or pooled episode stats for v2.x).")
    static final class StatsCommand implements Runnable {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "Dataset directory.")
        Path dir;

        @Option(names = "--recompute", description = "Recompute from the data in one streaming pass instead of reading the metadata.")
        boolean recompute;

        @Option(names = "--write", description = "With --recompute: replace meta/stats.json (v3.0 only).")
        boolean write;

        @Option(names = "--json", description = "Print the stats in stats.json layout.")
        boolean json;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            LeRobotDataset ds = LeRobotDataset.open(dir);
            if (write && !recompute) {
                throw new InvalidInputException("--write", "", "--recompute with it", "--write alone");
            }
            Map<String, FeatureStats> stats = recompute ? ds.computeStats() : ds.stats();
            if (write) {
                ds.writeStats(stats);
            }
            if (json) {
                out.println(Json.pretty(StatsJson.write(stats)));
                return;
            }
            for (var e : stats.entrySet()) {
                FeatureStats s = e.getValue();
                out.printf("%s (count %d%s)%n", e.getKey(), s.count(), StatsAggregation.hasQuantiles(s) ? "" : ", no quantiles");
                int shown = Math.min(s.dimension(), 8);
                for (int j = 0; j < shown; j++) {
                    out.printf("  [%d] min %s max %s mean %s std %s", j, Text.number(s.min()[j]), Text.number(s.max()[j]),
                            Text.number(s.mean()[j]), Text.number(s.std()[j]));
                    if (StatsAggregation.hasQuantiles(s)) {
                        out.printf(" q01 %s q50 %s q99 %s", Text.number(s.q01()[j]), Text.number(s.q50()[j]), Text.number(s.q99()[j]));
                    }
                    out.println();
                }
                if (shown < s.dimension()) {
                    out.printf("  ... %d more elements (use --json)%n", s.dimension() - shown);
                }
            }
        }
    }

    @Command(name = "convert", mixinStandardHelpOptions = true,
            description = "Convert a v2.0/v2.1 dataset to v3.0. Video features with missing files are dropped with a warning "
                    + "(or refused with --require-videos).")
    static final class ConvertCommand implements Runnable {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "SRC", description = "Source dataset directory (v2.x).")
        Path src;

        @Option(names = "--to", required = true, description = "Target version; only v3.0.")
        String to;

        @Option(names = "--out", required = true, description = "Output directory (must not exist unless --force).")
        Path out;

        @Option(names = "--force", description = "Replace an existing dataset at --out.")
        boolean force;

        @Option(names = "--require-videos", description = "Fail instead of dropping a video feature with missing files.")
        boolean requireVideos;

        @Option(names = "--json", description = "Print JSON: out, episodes, frames, dropped_video_features, warnings.")
        boolean json;

        @Override
        public void run() {
            if (!to.equals("v3.0")) {
                throw new InvalidInputException("--to", "", "v3.0", to);
            }
            PrintWriter pw = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            DatasetConverter.Result r = DatasetConverter.toV30(src, out, force, requireVideos);
            if (json) {
                ObjectNode o = Json.object().put("out", r.out().toString()).put("episodes", r.episodes()).put("frames", r.frames());
                ArrayNode d = o.putArray("dropped_video_features");
                r.droppedVideoFeatures().forEach(d::add);
                ArrayNode w = o.putArray("warnings");
                r.warnings().forEach(w::add);
                pw.println(Json.pretty(o));
                return;
            }
            r.warnings().forEach(w -> err.println("kiban: warning: " + w));
            pw.printf("converted %s -> %s (v3.0): %s, %s%n", src, out, Text.count(r.episodes(), "episode"),
                    Text.count(r.frames(), "frame"));
        }
    }

    @Command(name = "head", mixinStandardHelpOptions = true, description = "Print the first frames of an episode.")
    static final class HeadCommand implements Runnable {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "Dataset directory.")
        Path dir;

        @Option(names = "--episode", defaultValue = "0", description = "Episode index (default ${DEFAULT-VALUE}).")
        int episode;

        @Option(names = {"-n", "--frames"}, defaultValue = "5", description = "Frames to print (default ${DEFAULT-VALUE}).")
        int frames;

        @Option(names = "--json", description = "Print a JSON object: episode, length, task(s), frames (a list of column maps).")
        boolean json;

        @Override
        public void run() {
            if (frames < 0) {
                throw new InvalidInputException("--frames", "", ">= 0", Integer.toString(frames));
            }
            PrintWriter out = spec.commandLine().getOut();
            LeRobotDataset ds = LeRobotDataset.open(dir);
            EpisodeInfo e = ds.episode(episode);
            Table t = ds.readEpisode(episode);
            int n = Math.min(frames, t.rows());
            if (json) {
                ObjectNode o = Json.object().put("episode", e.index()).put("length", e.length());
                ArrayNode tasks = o.putArray("tasks");
                e.tasks().forEach(tasks::add);
                ArrayNode rows = o.putArray("frames");
                for (int i = 0; i < n; i++) {
                    ObjectNode row = rows.addObject();
                    for (var c : t.columns().entrySet()) {
                        Column col = c.getValue();
                        if (col instanceof StringColumn s) {
                            row.put(c.getKey(), s.values()[i]);
                        } else if (!col.list()) {
                            double v = col.getDouble(i, 0);
                            if (Double.isFinite(v)) {
                                row.put(c.getKey(), v);
                            } else {
                                row.putNull(c.getKey());
                            }
                        } else {
                            ArrayNode a = row.putArray(c.getKey());
                            for (int j = 0; j < col.width(); j++) {
                                Json.addNumber(a, col.getDouble(i, j));
                            }
                        }
                    }
                }
                out.println(Json.pretty(o));
                return;
            }
            out.printf("episode %d: %d frames, tasks %s%n", e.index(), e.length(), e.tasks());
            for (int i = 0; i < n; i++) {
                StringBuilder b = new StringBuilder();
                for (var c : t.columns().entrySet()) {
                    b.append(c.getKey()).append('=').append(cell(c.getValue(), i)).append("  ");
                }
                out.println(b.toString().strip());
            }
        }

        private static String cell(Column c, int i) {
            if (c instanceof StringColumn s) {
                return s.values()[i];
            }
            if (!c.list()) {
                return Text.number(c.getDouble(i, 0));
            }
            StringBuilder b = new StringBuilder("[");
            for (int j = 0; j < c.width(); j++) {
                b.append(j == 0 ? "" : ", ").append(Text.number(c.getDouble(i, j)));
            }
            return b.append(']').toString();
        }
    }
}
