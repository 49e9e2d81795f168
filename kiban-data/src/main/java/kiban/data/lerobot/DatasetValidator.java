package kiban.data.lerobot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kiban.core.error.KibanException;
import kiban.core.normalize.FeatureStats;
import kiban.data.lerobot.ValidationIssue.Severity;
import kiban.data.parquet.ParquetTables;
import kiban.data.table.BoolColumn;
import kiban.data.table.Column;
import kiban.data.table.DoubleColumn;
import kiban.data.table.FloatColumn;
import kiban.data.table.LongColumn;
import kiban.data.table.Table;
import kiban.data.video.Mp4Info;

/**
 * Checks every invariant of a LeRobot dataset: metadata totals, contiguous episode and frame
 * indices, timestamps equal to frame_index / fps (within 1e-4 s, or float32 rounding where larger),
 * episode ranges, task indices, column dtypes and shapes against the features, stats present and
 * consistent, and a video file for every video feature and episode. Each issue names the file and,
 * where it applies, the episode and frame. At most {@value #CAP} issues per check and file are listed.
 */
public final class DatasetValidator {

    static final int CAP = 20;
    static final double TIMESTAMP_TOLERANCE_S = 1e-4;

    private final List<ValidationIssue> issues = new ArrayList<>();
    private final Map<String, Integer> perCheck = new HashMap<>();
    private long suppressed;

    private DatasetValidator() {
    }

    public static ValidationReport validate(Path dir) {
        return new DatasetValidator().run(dir);
    }

    private ValidationReport run(Path dir) {
        LeRobotDataset ds;
        try {
            ds = LeRobotDataset.open(dir);
        } catch (KibanException e) {
            add(Severity.ERROR, null, null, null, "cannot open: " + e.getMessage(), "open");
            return new ValidationReport(dir.toString(), null, issues, 0);
        }
        checkMeta(ds);
        checkData(ds);
        checkStats(ds);
        checkVideos(ds);
        return new ValidationReport(dir.toString(), ds.version().text(), issues, suppressed);
    }

    private void add(Severity s, String file, Integer ep, Long frame, String msg, String check) {
        String key = check + "|" + file;
        int n = perCheck.merge(key, 1, Integer::sum);
        if (n > CAP) {
            suppressed++;
            return;
        }
        issues.add(new ValidationIssue(s, file, ep, frame, msg));
    }

    private String rel(LeRobotDataset ds, Path p) {
        return ds.root().relativize(p).toString();
    }

    private void checkMeta(LeRobotDataset ds) {
        DatasetInfo info = ds.info();
        String infoFile = "meta/info.json";
        List<EpisodeInfo> eps = ds.episodes();
        if (ds.uncommittedEpisodes() > 0) {
            add(Severity.WARNING, "meta/episodes", null, null, ds.uncommittedEpisodes() + " episode(s) listed beyond total_episodes="
                    + info.totalEpisodes() + ": an interrupted write; they are ignored ('kiban data' resume drops them)", "uncommitted");
        }
        if (eps.size() != info.totalEpisodes()) {
            add(Severity.ERROR, infoFile, null, null, "total_episodes is " + info.totalEpisodes() + " but the episode metadata lists "
                    + eps.size(), "totals");
        }
        long frames = 0;
        long expectFrom = 0;
        for (int i = 0; i < eps.size(); i++) {
            EpisodeInfo e = eps.get(i);
            if (e.index() != i) {
                add(Severity.ERROR, "episodes", e.index(), null, "episode indices are not contiguous: expected " + i, "ep-index");
            }
            if (e.length() <= 0 || e.to() - e.from() != e.length()) {
                add(Severity.ERROR, "episodes", e.index(), null, "length " + e.length() + " disagrees with range [" + e.from() + ", "
                        + e.to() + ")", "ep-length");
            }
            if (e.from() != expectFrom) {
                add(Severity.ERROR, "episodes", e.index(), null, "dataset_from_index " + e.from() + ", expected " + expectFrom
                        + " (ranges must be contiguous)", "ep-range");
            }
            expectFrom = e.to();
            frames += e.length();
            for (String t : e.tasks()) {
                if (!ds.tasks().contains(t)) {
                    add(Severity.ERROR, "episodes", e.index(), null, "task '" + t + "' is not in the tasks table", "ep-task");
                }
            }
        }
        if (frames != info.totalFrames()) {
            add(Severity.ERROR, infoFile, null, null, "total_frames is " + info.totalFrames() + " but the episodes hold " + frames, "totals");
        }
        if (ds.tasks().size() != info.totalTasks()) {
            add(ds.uncommittedEpisodes() > 0 && ds.tasks().size() > info.totalTasks() ? Severity.WARNING : Severity.ERROR, infoFile,
                    null, null, "total_tasks is " + info.totalTasks() + " but the tasks table has " + ds.tasks().size(), "totals");
        }
    }

    private void checkData(LeRobotDataset ds) {
        DatasetInfo info = ds.info();
        List<Feature> cols = info.parquetFeatures().stream().filter(f -> !f.isImage()).toList();
        Set<String> names = new LinkedHashSet<>();
        cols.forEach(f -> names.add(f.name()));
        Map<Path, List<EpisodeInfo>> byFile = new java.util.LinkedHashMap<>();
        for (EpisodeInfo e : ds.episodes()) {
            byFile.computeIfAbsent(ds.dataFile(e), k -> new ArrayList<>()).add(e);
        }
        if (ds.version() == FormatVersion.V3_0) {
            Path lastReferenced = byFile.keySet().stream().max(Path::compareTo).orElse(null);
            for (Path p : MetaFiles.listParquet(ds.root().resolve("data"))) {
                if (!byFile.containsKey(p)) {
                    boolean uncommitted = (lastReferenced == null || p.compareTo(lastReferenced) > 0) && onlyLaterEpisodes(ds, p);
                    add(uncommitted ? Severity.WARNING : Severity.ERROR, rel(ds, p), null, null, "data file not referenced by any "
                            + "episode (LeRobot would load its rows)" + (uncommitted ? "; it holds only an uncommitted episode of an "
                            + "interrupted write, which resuming the writer deletes" : ""), "orphan");
                }
            }
        }
        for (var entry : byFile.entrySet()) {
            Path file = entry.getKey();
            String f = rel(ds, file);
            if (!Files.isRegularFile(file)) {
                add(Severity.ERROR, f, entry.getValue().get(0).index(), null, "data file missing", "missing");
                continue;
            }
            Table t;
            try {
                t = ParquetTables.read(file, names);
            } catch (KibanException e) {
                add(Severity.ERROR, f, null, null, e.getMessage(), "read");
                continue;
            }
            if (!checkColumns(ds, f, t, cols)) {
                continue;
            }
            checkRows(ds, f, t, entry.getValue());
        }
    }

    private static boolean onlyLaterEpisodes(LeRobotDataset ds, Path p) {
        try {
            LongColumn e = ParquetTables.read(p, Set.of("episode_index")).longs("episode_index");
            for (long v : e.values()) {
                if (v < ds.info().totalEpisodes()) {
                    return false;
                }
            }
            return true;
        } catch (KibanException ex) {
            return false;
        }
    }

    private boolean checkColumns(LeRobotDataset ds, String f, Table t, List<Feature> cols) {
        boolean ok = true;
        for (Feature feat : cols) {
            Column c = t.column(feat.name());
            String dtype = feat.dtype().equals("int32") ? "int64" : feat.dtype();
            boolean typeOk = switch (dtype) {
                case "float32" -> c instanceof FloatColumn;
                case "float64" -> c instanceof DoubleColumn;
                case "int64" -> c instanceof LongColumn;
                case "bool" -> c instanceof BoolColumn;
                default -> true;
            };
            if (!typeOk) {
                add(Severity.ERROR, f, null, null, "column '" + feat.name() + "' holds " + c.dtype() + ", features say " + feat.dtype(),
                        "dtype");
                ok = false;
            }
            if (t.rows() > 0 && c.width() != feat.size()) {
                add(Severity.ERROR, f, null, null, "column '" + feat.name() + "' has " + c.width() + " elements per frame, features say "
                        + feat.shape(), "shape");
                ok = false;
            }
        }
        return ok;
    }

    private void checkRows(LeRobotDataset ds, String f, Table t, List<EpisodeInfo> eps) {
        double fps = ds.info().fps();
        LongColumn index = t.longs("index");
        LongColumn epi = t.longs("episode_index");
        LongColumn fi = t.longs("frame_index");
        LongColumn ti = t.longs("task_index");
        Column ts = t.column("timestamp");
        int row = 0;
        if (ds.version() == FormatVersion.V3_0 && t.rows() > 0) {
            // Episodes in a shared file start where their first index is.
            long first = eps.get(0).from();
            while (row < t.rows() && index.get(row) != first) {
                row++;
            }
            if (row == t.rows()) {
                add(Severity.ERROR, f, eps.get(0).index(), null, "no row with index " + first, "rows");
                return;
            }
            if (row > 0) {
                add(Severity.ERROR, f, null, null, row + " rows before episode " + eps.get(0).index() + "'s first frame", "rows");
            }
        }
        for (EpisodeInfo e : eps) {
            int taskIndex = e.tasks().size() == 1 ? ds.tasks().indexOf(e.tasks().get(0)) : -1;
            if (t.rows() - row < e.length()) {
                add(Severity.ERROR, f, e.index(), null, "the file holds " + (t.rows() - row) + " of the episode's " + e.length() + " frames",
                        "rows");
            }
            for (long k = 0; k < e.length() && row < t.rows(); k++, row++) {
                long g = e.from() + k;
                if (index.get(row) != g) {
                    add(Severity.ERROR, f, e.index(), k, "index " + index.get(row) + ", expected " + g, "index");
                }
                if (epi.get(row) != e.index()) {
                    add(Severity.ERROR, f, e.index(), k, "episode_index " + epi.get(row), "episode_index");
                }
                if (fi.get(row) != k) {
                    add(Severity.ERROR, f, e.index(), k, "frame_index " + fi.get(row) + ", expected " + k, "frame_index");
                }
                double want = k / fps;
                double got = ts.getDouble(row, 0);
                double tol = Math.max(TIMESTAMP_TOLERANCE_S, 2 * Math.ulp((float) want));
                if (!(Math.abs(got - want) <= tol)) {
                    add(Severity.ERROR, f, e.index(), k, "timestamp " + got + " s, expected frame_index/fps = " + want + " s", "timestamp");
                }
                long task = ti.get(row);
                if (task < 0 || task >= ds.tasks().size() || (taskIndex >= 0 && task != taskIndex)) {
                    add(Severity.ERROR, f, e.index(), k, "task_index " + task + (taskIndex >= 0 ? ", expected " + taskIndex : ""), "task");
                }
            }
        }
        if (row < t.rows()) {
            long extraEp = epi.get(row);
            boolean uncommitted = ds.version() == FormatVersion.V3_0 && extraEp >= ds.info().totalEpisodes();
            add(uncommitted ? Severity.WARNING : Severity.ERROR, f, (int) extraEp, null, (t.rows() - row) + " rows after the last listed "
                    + "episode" + (uncommitted ? " (an uncommitted episode of an interrupted write; ignored)" : ""), "extra");
        }
    }

    private void checkStats(LeRobotDataset ds) {
        Map<String, FeatureStats> stats;
        try {
            stats = ds.stats();
        } catch (KibanException e) {
            add(Severity.ERROR, "meta/stats.json", null, null, e.getMessage(), "stats");
            return;
        }
        String file = ds.version() == FormatVersion.V3_0 ? "meta/stats.json" : "meta/episodes_stats.jsonl";
        if (ds.episodes().isEmpty()) {
            return;
        }
        if (stats.isEmpty()) {
            add(Severity.ERROR, file, null, null, "no statistics", "stats");
            return;
        }
        for (Feature f : ds.info().parquetFeatures()) {
            if (!f.numeric()) {
                continue;
            }
            FeatureStats s = stats.get(f.name());
            if (s == null) {
                add(Severity.ERROR, file, null, null, "no statistics for feature '" + f.name() + "'", "stats");
                continue;
            }
            if (s.dimension() != f.size()) {
                add(Severity.ERROR, file, null, null, "statistics of '" + f.name() + "' have " + s.dimension() + " elements, features say "
                        + f.shape(), "stats");
                continue;
            }
            long frames = ds.info().totalFrames();
            if (s.count() != frames) {
                add(ds.uncommittedEpisodes() > 0 ? Severity.WARNING : Severity.ERROR, file, null, null, "count of '" + f.name() + "' is "
                        + s.count() + ", total_frames is " + frames, "stats-count");
            }
            for (int j = 0; j < s.dimension(); j++) {
                if (!(s.min()[j] <= s.mean()[j] + 1e-6 * Math.abs(s.mean()[j]) + 1e-9
                        && s.mean()[j] <= s.max()[j] + 1e-6 * Math.abs(s.mean()[j]) + 1e-9) || !(s.std()[j] >= 0)) {
                    add(Severity.ERROR, file, null, null, "statistics of '" + f.name() + "'[" + j + "] are inconsistent (min "
                            + s.min()[j] + ", mean " + s.mean()[j] + ", max " + s.max()[j] + ", std " + s.std()[j] + ")", "stats-range");
                }
            }
        }
        if (ds.version() != FormatVersion.V3_0) {
            for (EpisodeInfo e : ds.episodes()) {
                if (e.stats().isEmpty()) {
                    add(Severity.ERROR, file, e.index(), null, "no per-episode statistics", "ep-stats");
                }
            }
        }
    }

    /** The video must last until the episode's last frame: its span's end (v3.0) or (length - 1) / fps (v2.x). */
    private void checkCoverage(LeRobotDataset ds, Feature v, EpisodeInfo e, Path p) {
        double duration;
        try {
            duration = durations.computeIfAbsent(p, Mp4Info::durationSeconds);
        } catch (KibanException ex) {
            add(Severity.ERROR, rel(ds, p), e.index(), null, ex.getMessage(), "video-read");
            return;
        }
        double frame = 1.0 / ds.info().fps();
        EpisodeInfo.VideoSpan span = e.videos().get(v.name());
        double needed = span != null ? span.toTimestamp() - frame : (e.length() - 1) * frame;
        if (duration + TIMESTAMP_TOLERANCE_S < needed) {
            add(Severity.ERROR, rel(ds, p), e.index(), null, "video '" + v.name() + "' lasts " + duration + " s but the episode needs "
                    + needed + " s (last frame)", "video-short");
        }
    }

    private final Map<Path, Double> durations = new HashMap<>();

    private void checkVideos(LeRobotDataset ds) {
        for (Feature v : ds.info().videoFeatures()) {
            if (ds.info().videoPath() == null) {
                add(Severity.ERROR, "meta/info.json", null, null, "video feature '" + v.name() + "' but video_path is null", "video");
                continue;
            }
            int missing = 0;
            for (EpisodeInfo e : ds.episodes()) {
                if (ds.version() == FormatVersion.V3_0) {
                    EpisodeInfo.VideoSpan span = e.videos().get(v.name());
                    if (span == null) {
                        add(Severity.ERROR, "meta/episodes", e.index(), null, "no video span for '" + v.name() + "'", "video-span");
                        continue;
                    }
                    double dur = span.toTimestamp() - span.fromTimestamp();
                    double want = e.length() / (double) ds.info().fps();
                    if (Math.abs(dur - want) > 1.0 / ds.info().fps() + TIMESTAMP_TOLERANCE_S) {
                        add(Severity.ERROR, "meta/episodes", e.index(), null, "video '" + v.name() + "' spans " + dur + " s for "
                                + e.length() + " frames (" + want + " s)", "video-span");
                    }
                }
                Path p = ds.videoFile(v.name(), e);
                if (!Files.isRegularFile(p)) {
                    missing++;
                    add(Severity.ERROR, rel(ds, p), e.index(), null, "missing video for '" + v.name() + "'", "video-missing");
                    continue;
                }
                checkCoverage(ds, v, e, p);
            }
            if (missing > 0) {
                issues.add(new ValidationIssue(Severity.ERROR, null, null, null, "video feature '" + v.name() + "': " + missing + " of "
                        + ds.episodes().size() + " episode videos missing"));
            }
        }
    }
}
