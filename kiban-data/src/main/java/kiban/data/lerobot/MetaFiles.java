package kiban.data.lerobot;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kiban.core.error.InvalidInputException;
import kiban.core.json.Json;
import kiban.core.normalize.FeatureStats;
import kiban.data.parquet.ParquetTables;
import kiban.data.stats.StatsAggregation;
import kiban.data.stats.StatsJson;
import kiban.data.table.Column;
import kiban.data.table.DoubleColumn;
import kiban.data.table.LongColumn;
import kiban.data.table.StringColumn;
import kiban.data.table.StringListColumn;
import kiban.data.table.Table;

/** Reads and encodes the meta files: tasks, episodes and stats, for v3.0 and v2.x. */
final class MetaFiles {

    static final String[] STAT_NAMES = {"min", "max", "mean", "std", "count", "q01", "q10", "q50", "q90", "q99"};
    static final String EPISODES_FILE = "meta/episodes/chunk-000/file-000.parquet";

    private MetaFiles() {
    }

    // ---- v3.0 ----

    /**
     * The task strings of meta/tasks.parquet by task_index. LeRobot keeps them in the pandas
     * DataFrame's index, which pyarrow stores as a column named in the footer's {@code pandas}
     * metadata ({@code index_columns}): {@code task} where the index is named, {@code __index_level_0__}
     * where it is not (LeRobot before March 2026). A plain {@code task} column is read too.
     */
    static List<String> readTasksParquet(Path root) {
        Path file = root.resolve("meta/tasks.parquet");
        Table t = ParquetTables.read(file);
        String taskColumn = taskColumn(t, file);
        if (!t.has("task_index") || taskColumn == null) {
            throw new InvalidInputException(file.toString(), "", "columns task_index and task (or the pandas index column of "
                    + "task strings that the file's pandas metadata names)", "columns " + t.columns().keySet());
        }
        LongColumn idx = longColumn(t, "task_index", file);
        String[] names = ((StringColumn) t.column(taskColumn)).values();
        String[] out = new String[t.rows()];
        for (int i = 0; i < t.rows(); i++) {
            long k = idx.get(i);
            if (k < 0 || k >= out.length || out[(int) k] != null) {
                throw new InvalidInputException(file.toString(), "task_index", "each of 0.." + (out.length - 1) + " once",
                        Long.toString(k));
            }
            if (names[i] == null) {
                throw new InvalidInputException(file.toString(), taskColumn, "a task string in every row", "null in row " + i);
            }
            out[(int) k] = names[i];
        }
        return List.of(out);
    }

    /** The column of task strings: {@code task}, else the one string column pandas names as the index; null if none. */
    private static String taskColumn(Table t, Path file) {
        if (t.has("task") && t.column("task") instanceof StringColumn) {
            return "task";
        }
        String found = null;
        for (String c : PandasMetadata.indexColumns(ParquetTables.keyValueMetadata(file), file.toString())) {
            if (t.has(c) && t.column(c) instanceof StringColumn) {
                if (found != null) {
                    throw new InvalidInputException(file.toString(), "pandas.index_columns", "one index column of task strings",
                            found + " and " + c);
                }
                found = c;
            }
        }
        return found;
    }

    static Table tasksTable(List<String> tasks) {
        long[] idx = new long[tasks.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Map<String, Column> cols = new LinkedHashMap<>();
        cols.put("task_index", LongColumn.scalar(idx));
        cols.put("task", new StringColumn(tasks.toArray(String[]::new)));
        return Table.of(cols);
    }

    /** pandas metadata so that pandas restores "task" as the DataFrame index, as LeRobot writes it. */
    static Map<String, String> tasksMetadata() {
        String pandas = "{\"index_columns\": [\"task\"], \"column_indexes\": [{\"name\": null, \"field_name\": null, "
                + "\"pandas_type\": \"unicode\", \"numpy_type\": \"object\", \"metadata\": {\"encoding\": \"UTF-8\"}}], "
                + "\"columns\": [{\"name\": \"task_index\", \"field_name\": \"task_index\", \"pandas_type\": \"int64\", "
                + "\"numpy_type\": \"int64\", \"metadata\": null}, {\"name\": \"task\", \"field_name\": \"task\", "
                + "\"pandas_type\": \"unicode\", \"numpy_type\": \"object\", \"metadata\": null}], "
                + "\"creator\": {\"library\": \"kiban\", \"version\": \"0.1.0\"}, \"pandas_version\": \"2.2.3\"}";
        return Map.of("pandas", pandas);
    }

    static List<EpisodeInfo> readEpisodesParquet(Path root, DatasetInfo info) {
        Path dir = root.resolve("meta/episodes");
        List<Path> files = listParquet(dir);
        if (files.isEmpty()) {
            throw new InvalidInputException(dir.toString(), "", "episode parquet files such as " + EPISODES_FILE, "none");
        }
        List<EpisodeInfo> out = new ArrayList<>();
        for (Path f : files) {
            Table t = ParquetTables.read(f);
            for (String c : List.of("episode_index", "length", "dataset_from_index", "dataset_to_index",
                    "data/chunk_index", "data/file_index")) {
                if (!t.has(c)) {
                    throw new InvalidInputException(f.toString(), c, "an episodes column '" + c + "'", null);
                }
            }
            List<List<String>> tasks = t.has("tasks") && t.column("tasks") instanceof StringListColumn s ? s.values() : null;
            for (int i = 0; i < t.rows(); i++) {
                Map<String, EpisodeInfo.VideoSpan> videos = new LinkedHashMap<>();
                for (Feature v : info.videoFeatures()) {
                    String p = "videos/" + v.name() + "/";
                    if (t.has(p + "chunk_index")) {
                        videos.put(v.name(), new EpisodeInfo.VideoSpan(
                                (int) t.column(p + "chunk_index").getDouble(i, 0), (int) t.column(p + "file_index").getDouble(i, 0),
                                t.column(p + "from_timestamp").getDouble(i, 0), t.column(p + "to_timestamp").getDouble(i, 0)));
                    }
                }
                Map<String, FeatureStats> stats = new LinkedHashMap<>();
                for (Feature feat : info.features().values()) {
                    FeatureStats s = statsFromRow(t, "stats/" + feat.name() + "/", i);
                    if (s != null) {
                        stats.put(feat.name(), s);
                    }
                }
                out.add(new EpisodeInfo((int) num(t, "episode_index", i), tasks == null ? List.of() : tasks.get(i),
                        num(t, "length", i), num(t, "dataset_from_index", i), num(t, "dataset_to_index", i),
                        (int) num(t, "data/chunk_index", i), (int) num(t, "data/file_index", i), videos, stats));
            }
        }
        return out;
    }

    private static long num(Table t, String col, int row) {
        return (long) t.column(col).getDouble(row, 0);
    }

    private static FeatureStats statsFromRow(Table t, String prefix, int row) {
        if (!t.has(prefix + "mean") || !t.has(prefix + "min") || !t.has(prefix + "max") || !t.has(prefix + "std")) {
            return null;
        }
        double[][] v = new double[STAT_NAMES.length][];
        for (int k = 0; k < STAT_NAMES.length; k++) {
            if (t.has(prefix + STAT_NAMES[k])) {
                Column c = t.column(prefix + STAT_NAMES[k]);
                v[k] = new double[c.width()];
                for (int j = 0; j < c.width(); j++) {
                    v[k][j] = c.getDouble(row, j);
                }
            }
        }
        int d = v[0].length;
        for (int k = 5; k < 10; k++) {
            if (v[k] == null || v[k].length != d) {
                v[k] = new double[d];
                java.util.Arrays.fill(v[k], Double.NaN);
            }
        }
        long count = v[4] == null ? 0 : (long) v[4][0];
        return new FeatureStats(count, v[0], v[1], v[2], v[3], v[5], v[6], v[7], v[8], v[9]);
    }

    static Table episodesTable(List<EpisodeInfo> episodes, DatasetInfo info) {
        int n = episodes.size();
        Map<String, Column> cols = new LinkedHashMap<>();
        cols.put("episode_index", longs(episodes, e -> e.index()));
        cols.put("tasks", new StringListColumn(episodes.stream().map(EpisodeInfo::tasks).toList()));
        cols.put("length", longs(episodes, EpisodeInfo::length));
        cols.put("data/chunk_index", longs(episodes, e -> e.dataChunk()));
        cols.put("data/file_index", longs(episodes, e -> e.dataFile()));
        cols.put("dataset_from_index", longs(episodes, EpisodeInfo::from));
        cols.put("dataset_to_index", longs(episodes, EpisodeInfo::to));
        for (Feature v : info.videoFeatures()) {
            String p = "videos/" + v.name() + "/";
            cols.put(p + "chunk_index", longs(episodes, e -> e.videos().get(v.name()).chunk()));
            cols.put(p + "file_index", longs(episodes, e -> e.videos().get(v.name()).file()));
            cols.put(p + "from_timestamp", doubles(episodes, e -> e.videos().get(v.name()).fromTimestamp()));
            cols.put(p + "to_timestamp", doubles(episodes, e -> e.videos().get(v.name()).toTimestamp()));
        }
        cols.put("meta/episodes/chunk_index", LongColumn.scalar(new long[n]));
        cols.put("meta/episodes/file_index", LongColumn.scalar(new long[n]));
        if (n > 0) {
            for (String feat : episodes.get(0).stats().keySet()) {
                if (!episodes.stream().allMatch(e -> e.stats().containsKey(feat))) {
                    continue;
                }
                int d = episodes.get(0).stats().get(feat).dimension();
                boolean quant = episodes.stream().allMatch(e -> StatsAggregation.hasQuantiles(e.stats().get(feat)));
                for (String s : STAT_NAMES) {
                    if (s.startsWith("q") && !quant) {
                        continue;
                    }
                    String name = "stats/" + feat + "/" + s;
                    if (s.equals("count")) {
                        long[] c = new long[n];
                        for (int i = 0; i < n; i++) {
                            c[i] = episodes.get(i).stats().get(feat).count();
                        }
                        cols.put(name, new LongColumn(c, 1, true));
                        continue;
                    }
                    double[] vals = new double[n * d];
                    for (int i = 0; i < n; i++) {
                        double[] src = statArray(episodes.get(i).stats().get(feat), s);
                        System.arraycopy(src, 0, vals, i * d, d);
                    }
                    cols.put(name, new DoubleColumn(vals, d, true));
                }
            }
        }
        return new Table(cols, n);
    }

    static double[] statArray(FeatureStats s, String name) {
        return switch (name) {
            case "min" -> s.min();
            case "max" -> s.max();
            case "mean" -> s.mean();
            case "std" -> s.std();
            case "q01" -> s.q01();
            case "q10" -> s.q10();
            case "q50" -> s.q50();
            case "q90" -> s.q90();
            case "q99" -> s.q99();
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static LongColumn longs(List<EpisodeInfo> eps, java.util.function.ToLongFunction<EpisodeInfo> f) {
        return LongColumn.scalar(eps.stream().mapToLong(f).toArray());
    }

    private static DoubleColumn doubles(List<EpisodeInfo> eps, java.util.function.ToDoubleFunction<EpisodeInfo> f) {
        return new DoubleColumn(eps.stream().mapToDouble(f).toArray(), 1, false);
    }

    static LongColumn longColumn(Table t, String name, Path file) {
        if (!(t.column(name) instanceof LongColumn l) || l.width() != 1) {
            throw new InvalidInputException(file.toString(), name, "an int64 column", t.column(name).dtype());
        }
        return l;
    }

    static List<Path> listParquet(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new InvalidInputException(dir.toString(), "", "a readable directory", e.getMessage());
        }
    }

    static Map<String, FeatureStats> readStatsJson(Path root) {
        Path file = root.resolve("meta/stats.json");
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        return StatsJson.read(Json.readTree(file), file.toString());
    }

    // ---- v2.x ----

    static List<JsonNode> readJsonl(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file.toString(), "", "a JSON-lines file", "no such file");
        }
        List<JsonNode> out = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).isBlank()) {
                    out.add(Json.parseTree(lines.get(i), file + " line " + (i + 1)));
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException(file.toString(), "", "a readable file", e.getMessage());
        }
        return out;
    }

    static List<String> readTasksJsonl(Path root) {
        Path file = root.resolve("meta/tasks.jsonl");
        List<JsonNode> lines = readJsonl(file);
        String[] out = new String[lines.size()];
        for (JsonNode l : lines) {
            int k = l.path("task_index").asInt(-1);
            if (k < 0 || k >= out.length || out[k] != null || !l.path("task").isTextual()) {
                throw new InvalidInputException(file.toString(), "task_index", "each of 0.." + (out.length - 1) + " once, with a task",
                        l.toString());
            }
            out[k] = l.get("task").asText();
        }
        return List.of(out);
    }

    static List<EpisodeInfo> readEpisodesJsonl(Path root, DatasetInfo info) {
        Path file = root.resolve("meta/episodes.jsonl");
        Map<Integer, Map<String, FeatureStats>> stats = new LinkedHashMap<>();
        Path statsFile = root.resolve("meta/episodes_stats.jsonl");
        if (Files.isRegularFile(statsFile)) {
            for (JsonNode l : readJsonl(statsFile)) {
                stats.put(l.path("episode_index").asInt(-1), StatsJson.read(l.get("stats"), statsFile.toString()));
            }
        }
        List<EpisodeInfo> out = new ArrayList<>();
        long from = 0;
        int line = 0;
        for (JsonNode l : readJsonl(file)) {
            line++;
            int idx = l.path("episode_index").asInt(-1);
            long len = l.path("length").asLong(-1);
            if (idx < 0 || len < 0) {
                throw new InvalidInputException(file + " line " + line, "episode_index/length", "non-negative integers", l.toString());
            }
            List<String> tasks = new ArrayList<>();
            l.path("tasks").forEach(t -> tasks.add(t.asText()));
            out.add(new EpisodeInfo(idx, tasks, len, from, from + len, idx / info.chunksSize(), -1, Map.of(),
                    stats.getOrDefault(idx, Map.of())));
            from += len;
        }
        return out;
    }
}
