package kiban.data.lerobot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import kiban.core.json.Json;
import kiban.core.normalize.FeatureStats;
import kiban.data.parquet.ParquetTables;
import kiban.data.stats.RunningStats;
import kiban.data.stats.StatsJson;
import kiban.data.table.Column;
import kiban.data.table.Table;

/**
 * Converts a v2.0/v2.1 dataset to v3.0, as LeRobot's {@code convert_dataset_v21_to_v30} does: the
 * per-episode parquet files are concatenated, in order, into files of up to
 * {@code data_files_size_in_mb}; tasks.jsonl becomes tasks.parquet; episodes.jsonl and
 * episodes_stats.jsonl become meta/episodes; stats.json is recomputed in one pass (with quantiles).
 *
 * <p>Videos: Kiban cannot concatenate mp4 files yet, so each episode's mp4 is copied to its own v3
 * file ({@code from_timestamp} 0). A video feature with any episode's file missing cannot be carried
 * and is dropped from the result, with a warning naming it and the missing count, so the converted
 * dataset still validates; {@code requireVideos} makes that an error instead.
 *
 * <p>The result is built in a sibling staging directory and renamed into place at the end, so a
 * failed conversion leaves nothing at {@code out}.
 */
public final class DatasetConverter {

    private DatasetConverter() {
    }

    /** What a conversion did. */
    public record Result(Path out, int episodes, long frames, List<String> droppedVideoFeatures, List<String> warnings) {
    }

    public static Result toV30(Path src, Path out, boolean force, boolean requireVideos) {
        LeRobotDataset ds = LeRobotDataset.open(src);
        if (ds.version() == FormatVersion.V3_0) {
            throw new InvalidInputException(src.toString(), "codebase_version", "v2.0 or v2.1 to convert", "v3.0 (already current)");
        }
        if (Files.exists(out)) {
            if (!force) {
                throw new InvalidInputException(out.toString(), "", "a path that does not exist yet (or --force)", "it exists");
            }
            if (!Files.isRegularFile(out.resolve("meta/info.json"))) {
                throw new InvalidInputException(out.toString(), "", "a LeRobot dataset to replace", "a directory that is not a dataset; "
                        + "not deleting it");
            }
        }
        DatasetInfo info = ds.info();
        for (Feature f : info.features().values()) {
            if (f.isImage() || f.dtype().equals("string")) {
                throw new InvalidInputException(src + "/meta/info.json", "features." + f.name(), "numeric or video features (image "
                        + "and string columns are not converted yet)", f.dtype());
            }
        }
        List<String> warnings = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (Feature v : info.videoFeatures()) {
            long missing = ds.episodes().stream().filter(e -> !Files.isRegularFile(ds.videoFile(v.name(), e))).count();
            if (missing > 0) {
                String msg = "video feature '" + v.name() + "': " + missing + " of " + ds.episodes().size()
                        + " episode videos missing (e.g. " + firstMissing(ds, v) + ")";
                if (requireVideos) {
                    throw new InvalidInputException(src.toString(), v.name(), "every episode's video", msg);
                }
                dropped.add(v.name());
                warnings.add(msg + "; the feature is dropped from the converted dataset");
            }
        }
        Map<String, Feature> feats = new LinkedHashMap<>();
        for (Feature f : info.features().values()) {
            if (dropped.contains(f.name())) {
                continue;
            }
            ObjectNode j = f.json().deepCopy();
            if (!f.isVideo()) {
                j.put("fps", info.fps());
            }
            feats.put(f.name(), new Feature(f.name(), f.dtype(), f.shape(), j));
        }
        DatasetInfo v3 = new DatasetInfo(FormatVersion.V3_0, info.robotType(), info.fps(), ds.episodes().size(), ds.totalFrames(),
                ds.tasks().size(), DatasetInfo.CHUNKS_SIZE, DatasetInfo.DATA_FILES_SIZE_IN_MB, DatasetInfo.VIDEO_FILES_SIZE_IN_MB,
                DatasetInfo.V3_DATA_PATH, feats.values().stream().anyMatch(Feature::isVideo) ? DatasetInfo.V3_VIDEO_PATH : null, feats,
                Json.object());

        Path parent = out.toAbsolutePath().getParent();
        Path stage;
        try {
            Files.createDirectories(parent);
            stage = Files.createTempDirectory(parent, "." + out.getFileName() + ".converting-");
        } catch (IOException e) {
            throw new KibanException("cannot create a directory beside " + out + ": " + e.getMessage(), e);
        }
        try {
            List<EpisodeInfo> eps = writeData(ds, v3, stage);
            eps = copyVideos(ds, v3, stage, eps);
            Files.createDirectories(stage.resolve(MetaFiles.EPISODES_FILE).getParent());
            ParquetTables.write(stage.resolve(MetaFiles.EPISODES_FILE), MetaFiles.episodesTable(eps, v3), Map.of());
            ParquetTables.write(stage.resolve("meta/tasks.parquet"), MetaFiles.tasksTable(ds.tasks()), MetaFiles.tasksMetadata());
            Files.writeString(stage.resolve("meta/stats.json"), Json.pretty(StatsJson.write(stats(ds, v3))));
            Files.writeString(stage.resolve("meta/info.json"), Json.pretty(v3.toV3Json()));
            if (Files.exists(out)) {
                DatasetFolder.deleteTree(out);
            }
            Files.move(stage, out, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            DatasetFolder.deleteTree(stage);
            throw new KibanException("cannot write " + out + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            DatasetFolder.deleteTree(stage);
            throw e;
        }
        return new Result(out, ds.episodes().size(), ds.totalFrames(), dropped, warnings);
    }

    private static String firstMissing(LeRobotDataset ds, Feature v) {
        return ds.episodes().stream().map(e -> ds.videoFile(v.name(), e)).filter(p -> !Files.isRegularFile(p))
                .map(p -> ds.root().relativize(p).toString()).findFirst().orElse("");
    }

    private static List<EpisodeInfo> writeData(LeRobotDataset ds, DatasetInfo v3, Path stage) throws IOException {
        Set<String> cols = new LinkedHashSet<>();
        v3.parquetFeatures().forEach(f -> cols.add(f.name()));
        long cap = (long) v3.dataFilesSizeInMb() * 1024 * 1024;
        List<EpisodeInfo> out = new ArrayList<>();
        List<Table> pending = new ArrayList<>();
        long pendingBytes = 0;
        int chunk = 0;
        int file = 0;
        for (EpisodeInfo e : ds.episodes()) {
            Path src = ds.dataFile(e);
            long size = Files.size(src);
            if (!pending.isEmpty() && pendingBytes + size > cap) {
                flush(stage, v3, pending, chunk, file);
                pending.clear();
                pendingBytes = 0;
                if (++file >= v3.chunksSize()) {
                    file = 0;
                    chunk++;
                }
            }
            Table t = ParquetTables.read(src, cols);
            if (t.rows() != e.length()) {
                throw new InvalidInputException(src.toString(), "", e.length() + " rows (episodes.jsonl length)", t.rows() + " rows");
            }
            pending.add(reorder(t, cols));
            pendingBytes += size;
            out.add(new EpisodeInfo(e.index(), e.tasks(), e.length(), e.from(), e.to(), chunk, file, Map.of(),
                    withoutDropped(e.stats(), v3)));
        }
        if (!pending.isEmpty()) {
            flush(stage, v3, pending, chunk, file);
        }
        return out;
    }

    private static Map<String, FeatureStats> withoutDropped(Map<String, FeatureStats> stats, DatasetInfo v3) {
        Map<String, FeatureStats> out = new LinkedHashMap<>();
        stats.forEach((k, v) -> {
            if (v3.features().containsKey(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static Table reorder(Table t, Set<String> cols) {
        Map<String, Column> m = new LinkedHashMap<>();
        cols.forEach(c -> m.put(c, t.column(c)));
        return new Table(m, t.rows());
    }

    private static void flush(Path stage, DatasetInfo v3, List<Table> pending, int chunk, int file) throws IOException {
        Path p = stage.resolve(DatasetInfo.format(DatasetInfo.V3_DATA_PATH, Map.of("chunk_index", chunk, "file_index", file)));
        Files.createDirectories(p.getParent());
        ParquetTables.write(p, Table.concat(pending), HfFeatures.metadata(v3));
    }

    private static List<EpisodeInfo> copyVideos(LeRobotDataset ds, DatasetInfo v3, Path stage, List<EpisodeInfo> eps)
            throws IOException {
        List<Feature> videos = v3.videoFeatures();
        if (videos.isEmpty()) {
            return eps;
        }
        List<EpisodeInfo> out = new ArrayList<>();
        for (EpisodeInfo e : eps) {
            Map<String, EpisodeInfo.VideoSpan> spans = new LinkedHashMap<>();
            int chunk = e.index() / v3.chunksSize();
            int file = e.index() % v3.chunksSize();
            for (Feature v : videos) {
                Path target = stage.resolve(DatasetInfo.format(DatasetInfo.V3_VIDEO_PATH,
                        Map.of("video_key", v.name(), "chunk_index", chunk, "file_index", file)));
                Files.createDirectories(target.getParent());
                Files.copy(ds.videoFile(v.name(), e), target);
                spans.put(v.name(), new EpisodeInfo.VideoSpan(chunk, file, 0, e.length() / (double) v3.fps()));
            }
            out.add(new EpisodeInfo(e.index(), e.tasks(), e.length(), e.from(), e.to(), e.dataChunk(), e.dataFile(), spans, e.stats()));
        }
        return out;
    }

    /** Numeric features: one streaming pass over the source; video features: pooled episode stats. */
    private static Map<String, FeatureStats> stats(LeRobotDataset ds, DatasetInfo v3) {
        Map<String, RunningStats> running = new LinkedHashMap<>();
        Set<String> cols = new LinkedHashSet<>();
        v3.parquetFeatures().stream().filter(Feature::numeric).forEach(f -> cols.add(f.name()));
        for (EpisodeInfo e : ds.episodes()) {
            LeRobotDataset.accumulate(ParquetTables.read(ds.dataFile(e), cols), cols, running);
        }
        Map<String, FeatureStats> out = new LinkedHashMap<>();
        Map<String, FeatureStats> pooled = ds.stats();
        for (Feature f : v3.features().values()) {
            if (running.containsKey(f.name())) {
                out.put(f.name(), running.get(f.name()).toFeatureStats());
            } else if (pooled.containsKey(f.name())) {
                out.put(f.name(), pooled.get(f.name()));
            }
        }
        return out;
    }
}
